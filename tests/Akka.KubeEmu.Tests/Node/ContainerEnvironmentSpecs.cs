using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Node.Pods;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

public sealed class ContainerEnvironmentSpecs
{
    private static readonly PodModel Pod = PodModel.Parse(JsonNode.Parse("""
        {"metadata":{"name":"p","namespace":"default","uid":"u"},
         "spec":{"containers":[{"name":"c","image":"busybox","env":[{"name":"KUBERNETES_SERVICE_PORT","value":"8443"}]}]}}
        """)!.AsObject());

    [Fact]
    public void A_node_that_has_not_seen_the_services_gives_the_default_kubernetes_service_variables_and_the_container_env_wins()
    {
        var env = ContainerEnvironment.For(Pod, Pod.Containers[0], "10.244.0.5", "172.18.0.2", []);

        Assert.Equal("10.96.0.1", env["KUBERNETES_SERVICE_HOST"]);
        Assert.Equal("8443", env["KUBERNETES_SERVICE_PORT"]);
        Assert.Equal("443", env["KUBERNETES_SERVICE_PORT_HTTPS"]);
        Assert.Equal("tcp://10.96.0.1:443", env["KUBERNETES_PORT"]);
        Assert.Equal("tcp://10.96.0.1:443", env["KUBERNETES_PORT_443_TCP"]);
        Assert.Equal("tcp", env["KUBERNETES_PORT_443_TCP_PROTO"]);
        Assert.Equal("443", env["KUBERNETES_PORT_443_TCP_PORT"]);
        Assert.Equal("10.96.0.1", env["KUBERNETES_PORT_443_TCP_ADDR"]);
        Assert.Equal(8, env.Keys.Count(k => k.StartsWith("KUBERNETES_", StringComparison.Ordinal)));
    }

    [Fact]
    public void Services_the_kubelet_computed_replace_the_defaults()
    {
        var env = ContainerEnvironment.For(Pod, Pod.Containers[0], null, "172.18.0.2",
            [new("KUBERNETES_SERVICE_HOST", "10.100.0.1"), new("WEB_SERVICE_HOST", "10.96.3.4")]);

        Assert.Equal("10.100.0.1", env["KUBERNETES_SERVICE_HOST"]);
        Assert.Equal("10.96.3.4", env["WEB_SERVICE_HOST"]);
        Assert.False(env.ContainsKey("KUBERNETES_PORT_443_TCP"));
    }
}
