using Akka.KubeEmu.Actors.Node.Services;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Services;

/// <summary>The variables the kubelet gives a container for the Services it may see, named as Kubernetes names them.</summary>
public sealed class ServiceEnvVarsSpecs
{
    private static V1Service Service(string ns, string name, string clusterIp, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { ClusterIP = clusterIp, Ports = ports },
    };

    private static readonly V1Service Kubernetes = Service("default", "kubernetes", "10.96.0.1", new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP" });
    private static readonly V1Service Tomcat = Service("default", "tomcat-service", "10.103.20.7", new V1ServicePort { Port = 8080, Protocol = "TCP" });

    [Fact]
    public void A_service_gives_host_port_and_docker_link_variables()
    {
        var env = ServiceEnvVars.For("default", true, [Tomcat, Kubernetes]).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("10.103.20.7", env["TOMCAT_SERVICE_SERVICE_HOST"]);
        Assert.Equal("8080", env["TOMCAT_SERVICE_SERVICE_PORT"]);
        Assert.Equal("tcp://10.103.20.7:8080", env["TOMCAT_SERVICE_PORT"]);
        Assert.Equal("tcp://10.103.20.7:8080", env["TOMCAT_SERVICE_PORT_8080_TCP"]);
        Assert.Equal("tcp", env["TOMCAT_SERVICE_PORT_8080_TCP_PROTO"]);
        Assert.Equal("8080", env["TOMCAT_SERVICE_PORT_8080_TCP_PORT"]);
        Assert.Equal("10.103.20.7", env["TOMCAT_SERVICE_PORT_8080_TCP_ADDR"]);
        Assert.Equal("10.96.0.1", env["KUBERNETES_SERVICE_HOST"]);
        Assert.Equal("443", env["KUBERNETES_SERVICE_PORT"]);
        Assert.Equal("443", env["KUBERNETES_SERVICE_PORT_HTTPS"]);
        Assert.Equal("tcp://10.96.0.1:443", env["KUBERNETES_PORT"]);
        Assert.Equal(15, env.Count);
    }

    [Fact]
    public void EnableServiceLinks_false_keeps_only_the_kubernetes_service_and_other_namespaces_headless_and_external_services_give_none()
    {
        var headless = Service("default", "nginx", "None", new V1ServicePort { Port = 80 });
        var other = Service("shop", "cart", "10.96.5.5", new V1ServicePort { Port = 80 });
        var external = Service("default", "db", "", new V1ServicePort { Port = 5432 });
        Assert.Equal(["KUBERNETES_PORT", "KUBERNETES_PORT_443_TCP", "KUBERNETES_PORT_443_TCP_ADDR", "KUBERNETES_PORT_443_TCP_PORT", "KUBERNETES_PORT_443_TCP_PROTO",
                      "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBERNETES_SERVICE_PORT_HTTPS"],
            ServiceEnvVars.For("default", false, [Tomcat, Kubernetes, headless, other, external]).Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(ServiceEnvVars.For("default", true, [headless, other, external]), p => p.Key.StartsWith("NGINX") || p.Key.StartsWith("CART") || p.Key.StartsWith("DB"));
    }

    [Fact]
    public void Named_ports_and_udp_get_their_own_variables()
    {
        var dns = Service("kube-system", "kube-dns", "10.96.0.10",
            new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP" },
            new V1ServicePort { Name = "dns-tcp", Port = 53, Protocol = "TCP" },
            new V1ServicePort { Name = "metrics", Port = 9153, Protocol = "TCP" });
        var env = ServiceEnvVars.For("kube-system", true, [dns]).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("53", env["KUBE_DNS_SERVICE_PORT_DNS_TCP"]);
        Assert.Equal("9153", env["KUBE_DNS_SERVICE_PORT_METRICS"]);
        Assert.Equal("udp://10.96.0.10:53", env["KUBE_DNS_PORT"]);
        Assert.Equal("udp://10.96.0.10:53", env["KUBE_DNS_PORT_53_UDP"]);
        Assert.Equal("tcp://10.96.0.10:53", env["KUBE_DNS_PORT_53_TCP"]);
    }
}
