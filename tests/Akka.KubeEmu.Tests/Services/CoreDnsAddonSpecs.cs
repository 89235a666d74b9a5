using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Bootstrap;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Controllers;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Services;

public sealed class CoreDnsAddonSpecs : StoreTestBase
{
    private const string Deployments = "deployments.apps";

    public CoreDnsAddonSpecs() : base(new TempDir()) { }

    [Fact]
    public void Kubeadms_coredns_objects_are_created_in_kube_system_once_it_exists_and_a_deleted_deployment_stays_deleted()
    {
        var store = StartStore();
        var context = ControllerTestKit.Context(Sys, store, Time);
        Sys.ActorOf(CoreDnsAddon.Props(context));
        Sys.ActorOf(SystemNamespaces.Props(context));

        JsonObject deployment = null!;
        AwaitAssert(() =>
        {
            Time.Advance(TimeSpan.FromMilliseconds(100)); // kube-system first: the creates back off until it exists
            deployment = Ok(store, new GetObject(Deployments, "kube-system", "coredns"));
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));

        // The Deployment of kubeadm's manifest, defaulted as the API server defaults what kubeadm applies.
        Assert.Equal("kube-dns", KubeObject.Labels(deployment)["k8s-app"]);
        Assert.Equal("2", KubeObject.ScalarAt(deployment, "spec.replicas"));
        Assert.Equal("""{"matchLabels":{"k8s-app":"kube-dns"}}""", KubeObject.At(deployment, "spec.selector")!.ToJsonString());
        Assert.Equal("1", KubeObject.ScalarAt(deployment, "spec.strategy.rollingUpdate.maxUnavailable"));
        var pod = KubeObject.At(deployment, "spec.template.spec")!;
        Assert.Equal("system-cluster-critical", KubeObject.ScalarAt(pod, "priorityClassName"));
        Assert.Equal("coredns", KubeObject.ScalarAt(pod, "serviceAccountName"));
        Assert.Equal("Default", KubeObject.ScalarAt(pod, "dnsPolicy"));
        Assert.Equal("""[{"key":"CriticalAddonsOnly","operator":"Exists"},{"key":"node-role.kubernetes.io/control-plane","effect":"NoSchedule"}]""",
            pod["tolerations"]!.ToJsonString());
        Assert.Equal("kubernetes.io/hostname",
            KubeObject.ScalarText(pod["affinity"]!["podAntiAffinity"]!["preferredDuringSchedulingIgnoredDuringExecution"]![0]!["podAffinityTerm"]!["topologyKey"]));
        var container = pod["containers"]![0]!;
        Assert.Equal("registry.k8s.io/coredns/coredns:v1.11.3", KubeObject.ScalarAt(container, "image"));
        Assert.Equal("""["-conf","/etc/coredns/Corefile"]""", container["args"]!.ToJsonString());
        Assert.Equal("""{"limits":{"memory":"170Mi"},"requests":{"cpu":"100m","memory":"70Mi"}}""", container["resources"]!.ToJsonString());
        Assert.Equal(["53/UDP dns", "53/TCP dns-tcp", "9153/TCP metrics", "8080/TCP liveness-probe", "8181/TCP readiness-probe"],
            container["ports"]!.AsArray().Select(p => $"{p!["containerPort"]}/{p["protocol"]} {p["name"]}"));
        Assert.Equal("/health", KubeObject.ScalarAt(container, "livenessProbe.httpGet.path"));
        Assert.Equal("liveness-probe", KubeObject.ScalarAt(container, "livenessProbe.httpGet.port"));
        Assert.Equal("/ready", KubeObject.ScalarAt(container, "readinessProbe.httpGet.path"));
        Assert.Equal("coredns", KubeObject.ScalarAt(pod["volumes"]![0], "configMap.name"));

        // What the pods need: their Corefile, their account and its permissions.
        var corefile = KubeObject.ScalarAt(Ok(store, new GetObject("configmaps", "kube-system", "coredns")), "data.Corefile")!;
        Assert.StartsWith(".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {", corefile);
        Assert.Contains("\n    prometheus :9153\n    forward . /etc/resolv.conf {\n", corefile);
        Assert.EndsWith("    loop\n    reload\n    loadbalance\n}\n", corefile);
        Ok(store, new GetObject("serviceaccounts", "kube-system", "coredns"));
        var role = Ok(store, new GetObject("clusterroles.rbac.authorization.k8s.io", "", "system:coredns"));
        Assert.Equal("""["endpointslices"]""", role["rules"]![1]!["resources"]!.ToJsonString());
        var binding = Ok(store, new GetObject("clusterrolebindings.rbac.authorization.k8s.io", "", "system:coredns"));
        Assert.Equal("""[{"kind":"ServiceAccount","name":"coredns","namespace":"kube-system"}]""", binding["subjects"]!.ToJsonString());

        // kubeadm applies its addon once: what the administrator deletes afterwards is not put back.
        Ok(store, new DeleteObject(Deployments, "kube-system", "coredns"));
        for (var i = 0; i < 10; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(1)); // past any back-off and resync
            ExpectNoMsg(TimeSpan.FromMilliseconds(100));
            Assert.Equal("NotFound", Fails(store, new GetObject(Deployments, "kube-system", "coredns")).Reason);
        }
        Ok(store, new GetObject("configmaps", "kube-system", "coredns"));
    }
}
