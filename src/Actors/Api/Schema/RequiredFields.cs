using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Schema;

/// <summary>
/// The `required` lists of the Kubernetes definitions (the fields without omitempty that the API
/// insists on), for the few types where clients validate them. Kept short on purpose: a field
/// wrongly listed here would make kubectl v1.20 reject valid manifests.
/// </summary>
public static class RequiredFields
{
    private static readonly Dictionary<Type, string[]> Table = new()
    {
        [typeof(V1PodSpec)] = ["containers"],
        [typeof(V1Container)] = ["name"],
        [typeof(V1EphemeralContainer)] = ["name"],
        [typeof(V1ContainerPort)] = ["containerPort"],
        [typeof(V1EnvVar)] = ["name"],
        [typeof(V1VolumeMount)] = ["mountPath", "name"],
        [typeof(V1Volume)] = ["name"],
        [typeof(V1DeploymentSpec)] = ["selector", "template"],
        [typeof(V1ReplicaSetSpec)] = ["selector"],
        [typeof(V1StatefulSetSpec)] = ["selector", "template"],
        [typeof(V1DaemonSetSpec)] = ["selector", "template"],
        [typeof(V1JobSpec)] = ["template"],
        [typeof(V1CronJobSpec)] = ["jobTemplate", "schedule"],
        [typeof(V1ServicePort)] = ["port"],
        [typeof(V1OwnerReference)] = ["apiVersion", "kind", "name", "uid"],
        [typeof(V1LabelSelectorRequirement)] = ["key", "operator"],
        [typeof(V1Taint)] = ["effect", "key"],
        [typeof(V1NodeSelectorRequirement)] = ["key", "operator"],
        [typeof(Corev1Event)] = ["involvedObject", "metadata"],
        [typeof(V1Binding)] = ["target"],
    };

    public static IReadOnlyList<string> Of(Type model) => Table.GetValueOrDefault(model, []);
}
