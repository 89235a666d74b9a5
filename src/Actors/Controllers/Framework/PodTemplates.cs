using Akka.KubeEmu.Actors.Api.Objects;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Framework;

/// <summary>pkg/controller's GetPodFromTemplate: the pod a workload controller creates.</summary>
public static class PodTemplates
{
    /// <param name="generateNamePrefix">The owner's name; the API server appends five random characters.</param>
    public static V1Pod PodFrom(V1PodTemplateSpec template, string ns, string generateNamePrefix, V1OwnerReference? controllerRef)
    {
        var copy = KubeModels.Clone(template);
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                NamespaceProperty = ns,
                GenerateName = generateNamePrefix + "-",
                Labels = copy.Metadata?.Labels is { Count: > 0 } labels ? new Dictionary<string, string>(labels) : null,
                Annotations = copy.Metadata?.Annotations is { Count: > 0 } annotations ? new Dictionary<string, string>(annotations) : null,
                Finalizers = copy.Metadata?.Finalizers is { Count: > 0 } finalizers ? finalizers.ToList() : null,
                OwnerReferences = controllerRef is null ? null : [controllerRef],
            },
            Spec = copy.Spec,
        };
        return pod;
    }
}
