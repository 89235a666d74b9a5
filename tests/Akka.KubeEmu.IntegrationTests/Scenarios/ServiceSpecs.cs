using System.Text.RegularExpressions;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E6, Services and endpoints, with the real kubectl against node processes: the seed's tomcat
/// Deployment and NodePort Service get a cluster IP and endpoints of the ready pods; an unready pod
/// is listed as not ready, a deleted one leaves; the taken node port is refused to a second Service.
/// </summary>
[Collection("shared cluster")]
public sealed class ServiceSpecs(SharedCluster shared) : IAsyncLifetime
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(45);
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "config", "examples");
    private Kubectl Kubectl { get; set; } = null!;

    public async Task InitializeAsync() => Kubectl = await shared.Namespace("services");

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string[]> ReadyPodIps() =>
        (await Kubectl.Run("get", "pods", "-l", "tier=frontend", "-o", "json")).Json()["items"]!.AsArray()
        .Where(p => p!["metadata"]!["deletionTimestamp"] is null
                    && p["status"]?["conditions"]?.AsArray().Any(c => c!["type"]!.GetValue<string>() == "Ready" && c["status"]!.GetValue<string>() == "True") == true)
        .Select(p => p!["status"]!["podIP"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();

    private async Task<string> EndpointsColumn() =>
        TableOutput.Parse((await Kubectl.Run("get", "endpoints", "tomcat-service")).Ok().Stdout).Row("tomcat-service")["ENDPOINTS"];

    private static string Column(IEnumerable<string> ips) => string.Join(",", ips.Select(ip => $"{ip}:8080"));

    [Fact]
    public async Task The_tomcat_service_lists_its_ready_pods_and_its_node_port_is_not_given_twice()
    {
        (await Kubectl.Run("apply", "-f", Path.Combine(Examples, "tomcat-deployment-service.yaml"))).Ok();
        (await Kubectl.Run("scale", "deployment", "frontend", "--replicas=3")).Ok();

        var services = TableOutput.Parse((await Kubectl.Run("get", "svc", "tomcat-service")).Ok().Stdout);
        Assert.Equal(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], services.Headers);
        var row = services.Row("tomcat-service");
        Assert.Equal(("NodePort", "<none>", "8080:31002/TCP"), (row["TYPE"], row["EXTERNAL-IP"], row["PORT(S)"]));
        Assert.Matches(new Regex(@"^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$"), row["CLUSTER-IP"]);

        // The endpoints follow the pods as they turn ready.
        var ready = await Eventually.Until(ReadyPodIps, ips => ips.Length == 3, Run, "3 ready tomcat pods");
        await Eventually.Until(EndpointsColumn, column => column.Split(',').Order(StringComparer.Ordinal).SequenceEqual(ready.Select(ip => $"{ip}:8080")),
            Run, $"endpoints {Column(ready)}");
        var slices = TableOutput.Parse((await Kubectl.Run("get", "endpointslices", "-l", "kubernetes.io/service-name=tomcat-service")).Ok().Stdout);
        Assert.Equal(["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], slices.Headers);
        var slice = Assert.Single(slices.Rows);
        Assert.StartsWith("tomcat-service-", slice["NAME"]);
        Assert.Equal(("IPv4", "8080"), (slice["ADDRESSTYPE"], slice["PORTS"]));
        Assert.Equal(ready, slice["ENDPOINTS"].Split(',').Order(StringComparer.Ordinal));
        var describe = (await Kubectl.Run("describe", "svc", "tomcat-service")).Ok().Stdout;
        Assert.Matches(new Regex(@"Endpoints:\s+\d+\.\d+\.\d+\.\d+:8080"), describe);
        Assert.Matches(new Regex(@"NodePort:\s+<unset>\s+31002/TCP"), describe);

        // A pod that never turns ready is a not-ready address only; a deleted pod leaves at once.
        const string unready = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: tomcat-unready
              labels: {tier: frontend}
              annotations: {kubeemu.io/ready-after: never}
            spec:
              containers: [{name: tomcat, image: tomcat, ports: [{containerPort: 8080}]}]
            """;
        (await Kubectl.RunWithInput(unready, "apply", "-f", "-")).Ok();
        var unreadyIp = await Eventually.Until(async () => (await Kubectl.Run("get", "pod", "tomcat-unready", "-o", "jsonpath={.status.podIP}")).Ok().Stdout,
            ip => ip.Length > 0, Run, "the unready pod's IP");
        await Eventually.Until(async () => (await Kubectl.Run("get", "endpoints", "tomcat-service", "-o", "jsonpath={.subsets[*].notReadyAddresses[*].ip}")).Ok().Stdout,
            ips => ips.Trim() == unreadyIp, Run, "the unready pod among notReadyAddresses");
        Assert.DoesNotContain(unreadyIp + ":", await EndpointsColumn());

        var victim = (await Kubectl.Run("get", "pods", "-l", "tier=frontend", "-o", "json")).Json()["items"]!.AsArray()
            .First(p => p!["status"]?["podIP"]?.GetValue<string>() == ready[0])!["metadata"]!["name"]!.GetValue<string>();
        (await Kubectl.Run("delete", "pod", victim, "--wait=false")).Ok();
        await Eventually.Until(EndpointsColumn, column => !column.Contains(ready[0] + ":8080"), Run, "the deleted pod out of the endpoints");

        // The node port is the first Service's.
        var duplicate = await Kubectl.Run("create", "service", "nodeport", "dup", "--tcp=8080", "--node-port=31002");
        Assert.NotEqual(0, duplicate.ExitCode);
        Assert.Contains("Service \"dup\" is invalid: spec.ports[0].nodePort: Invalid value: 31002: provided port is already allocated", duplicate.Stderr);

        // The cluster's own Services: kubernetes at the first address, kube-dns at the tenth.
        var system = TableOutput.Parse((await Kubectl.Run("get", "svc", "kube-dns", "-n", "kube-system")).Ok().Stdout).Row("kube-dns");
        Assert.Equal(("ClusterIP", "10.96.0.10", "53/UDP,53/TCP,9153/TCP"), (system["TYPE"], system["CLUSTER-IP"], system["PORT(S)"]));
        var taken = await Kubectl.Run("create", "service", "clusterip", "steal", "--tcp=80", "--clusterip=10.96.0.10");
        Assert.Contains("spec.clusterIPs: Invalid value: [\"10.96.0.10\"]: failed to allocate IP 10.96.0.10: provided IP is already allocated", taken.Stderr);
    }
}
