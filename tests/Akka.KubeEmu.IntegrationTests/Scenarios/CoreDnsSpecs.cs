using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// The Kubernetes page "Debugging DNS Resolution" with the real kubectl: kubeadm's coredns pods run
/// behind the kube-dns Service, print CoreDNS's start-up lines and fill its endpoints.
/// </summary>
[Collection("shared cluster")]
public sealed class CoreDnsSpecs(SharedCluster shared)
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_dns_debugging_page_finds_two_coredns_pods_their_logs_and_their_endpoints_behind_kube_dns()
    {
        var kubectl = shared.Cluster.Kubectl;
        var pods = await Eventually.Until(
            async () => TableOutput.Parse((await kubectl.Run("get", "pods", "--namespace=kube-system", "-l", "k8s-app=kube-dns")).Ok().Stdout),
            t => t.Rows.Count == 2 && t.Rows.All(r => r["READY"] == "1/1" && r["STATUS"] == "Running"), Ready, "two coredns pods 1/1 Running");
        Assert.Equal(["NAME", "READY", "STATUS", "RESTARTS", "AGE"], pods.Headers);
        Assert.All(pods.Rows, r => Assert.Matches("^coredns-[a-z0-9]{9,10}-[a-z0-9]{5}$", r["NAME"]));
        Assert.All(pods.Rows, r => Assert.Equal("0", r["RESTARTS"]));

        // Each pod's start-up lines, one pod after the other.
        var logs = (await kubectl.Run("logs", "--namespace=kube-system", "-l", "k8s-app=kube-dns")).Ok().Stdout;
        Assert.Matches(@"^(\.:53\n\[INFO\] plugin/reload: Running configuration SHA512 = [0-9a-f]{128}\nCoreDNS-1\.11\.3\nlinux/amd64, go1\.21\.11, a6338e9\n){2}$", logs);

        var service = TableOutput.Parse((await kubectl.Run("get", "svc", "--namespace=kube-system")).Ok().Stdout).Row("kube-dns");
        Assert.Equal(("ClusterIP", "10.96.0.10", "<none>", "53/UDP,53/TCP,9153/TCP"),
            (service["TYPE"], service["CLUSTER-IP"], service["EXTERNAL-IP"], service["PORT(S)"]));

        // Both pods' addresses on 53 (UDP and TCP) and 9153: six endpoints, kubectl shows three.
        var ips = (await kubectl.Run("get", "pods", "--namespace=kube-system", "-l", "k8s-app=kube-dns", "-o", "jsonpath={.items[*].status.podIP}"))
            .Ok().Stdout.Split(' ').Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, ips.Distinct().Count());
        var endpoints = await Eventually.Until(
            async () => TableOutput.Parse((await kubectl.Run("get", "endpoints", "kube-dns", "--namespace=kube-system")).Ok().Stdout).Row("kube-dns")["ENDPOINTS"],
            e => e.EndsWith(" + 3 more...", StringComparison.Ordinal), Ready, "kube-dns endpoints");
        Assert.Matches(@"^10\.244\.\d+\.\d+:53,10\.244\.\d+\.\d+:53,10\.244\.\d+\.\d+:53 \+ 3 more\.\.\.$", endpoints);
        Assert.Equal(ips, (await kubectl.Run("get", "endpoints", "kube-dns", "--namespace=kube-system", "-o", "jsonpath={.subsets[0].addresses[*].ip}"))
            .Ok().Stdout.Split(' ').Order(StringComparer.Ordinal));
        Assert.Equal(["53/TCP dns-tcp", "53/UDP dns", "9153/TCP metrics"], (await kubectl.Run("get", "endpoints", "kube-dns", "--namespace=kube-system",
                "-o", "jsonpath={range .subsets[0].ports[*]}{.port}/{.protocol} {.name}{\"\\n\"}{end}"))
            .Ok().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

        // The page's label selector (k8s.io/service-name) matches nothing on a real cluster either; the slices carry kubernetes.io/service-name.
        var pageSelector = (await kubectl.Run("get", "endpointslices", "-l", "k8s.io/service-name=kube-dns", "-n", "kube-system")).Ok();
        Assert.Equal("No resources found in kube-system namespace.", pageSelector.Stderr.Trim());
        var slice = Assert.Single(TableOutput.Parse((await kubectl.Run("get", "endpointslices", "-l", "kubernetes.io/service-name=kube-dns", "-n", "kube-system"))
            .Ok().Stdout).Rows);
        Assert.Matches("^kube-dns-[a-z0-9]{5}$", slice["NAME"]);
        Assert.Equal("IPv4", slice["ADDRESSTYPE"]);
        Assert.Equal(["53", "53", "9153"], slice["PORTS"].Split(',').Order(StringComparer.Ordinal));
        Assert.Equal(ips, slice["ENDPOINTS"].Split(',').Order(StringComparer.Ordinal));
    }
}
