using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Framework;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.RootCaPublisher;

/// <summary>
/// The root CA certificate publisher: every active namespace has the "kube-root-ca.crt"
/// ConfigMap holding the cluster CA, which pods mount to trust the API server; a copy someone
/// changed is put back.
/// </summary>
public sealed class RootCaCertPublisher(ControllerContext context, string caPem)
    : NamespacedObjectEnsurer<V1ConfigMap>(context, "root-ca-cert-publisher", ConfigMapName, workers: 1)
{
    public const string ConfigMapName = "kube-root-ca.crt";

    private const string DescriptionAnnotation = "kubernetes.io/description";

    private const string Description = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

    public static Props Props(ControllerContext context, string caPem) => Akka.Actor.Props.Create(() => new RootCaCertPublisher(context, caPem));

    protected override V1ConfigMap Desired(string ns) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            Name = ConfigMapName,
            NamespaceProperty = ns,
            Annotations = new Dictionary<string, string> { [DescriptionAnnotation] = Description },
        },
        Data = new Dictionary<string, string> { ["ca.crt"] = caPem },
    };

    // syncNamespace: the data is exactly the CA, and the description is there.
    protected override V1ConfigMap? Repaired(V1ConfigMap existing)
    {
        var dataOk = existing.Data is { Count: 1 } data && data.TryGetValue("ca.crt", out var ca) && ca == caPem;
        if (dataOk && existing.Metadata.Annotations?.TryGetValue(DescriptionAnnotation, out var d) == true && d.Length > 0) return null;
        var copy = KubeModels.Clone(existing);
        copy.Data = new Dictionary<string, string> { ["ca.crt"] = caPem };
        copy.BinaryData = null;
        copy.Metadata.Annotations ??= new Dictionary<string, string>();
        copy.Metadata.Annotations[DescriptionAnnotation] = Description;
        return copy;
    }
}
