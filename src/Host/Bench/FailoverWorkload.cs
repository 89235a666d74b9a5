using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// The pods the failover benchmark moves around: nginx Deployments (three, or fewer for fewer
/// pods) sharing the pods out, written as a manifest would be (with apiVersion and kind: the API
/// server, like Kubernetes', rejects a body without them). The not-ready/unreachable tolerations
/// are not written: the API server's admission adds them (DefaultTolerationSeconds).
/// </summary>
public static class FailoverWorkload
{
    public const string Namespace = "failover";

    public static IReadOnlyList<BenchDeployment> Plan(int pods)
    {
        var count = Math.Clamp(pods, 1, 3);
        return Enumerable.Range(0, count).Select(i => new BenchDeployment($"web-{i + 1}", pods / count + (i < pods % count ? 1 : 0))).ToArray();
    }

    public static Task CreateNamespace(IKubernetes api, CancellationToken ct) =>
        api.CoreV1.CreateNamespaceAsync(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: ct);

    public static async Task CreateDeployments(IKubernetes api, IReadOnlyList<BenchDeployment> deployments, CancellationToken ct)
    {
        foreach (var d in deployments)
            await api.AppsV1.CreateNamespacedDeploymentAsync(Deployment(d), Namespace, cancellationToken: ct);
    }

    private static V1Deployment Deployment(BenchDeployment d)
    {
        var labels = new Dictionary<string, string> { ["app"] = d.Name };
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = d.Name, NamespaceProperty = Namespace },
            Spec = new V1DeploymentSpec
            {
                Replicas = d.Replicas,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "nginx", Image = "nginx:1.14.2" }] },
                },
            },
        };
    }
}
