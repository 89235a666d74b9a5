using Akka.KubeEmu.Actors.Node.Pods;
using Akka.KubeEmu.Actors.Node.Volumes;

namespace Akka.KubeEmu.Actors.Node.ConfigObjects;

/// <summary>
/// podutil.VisitPodConfigmapNames / VisitPodSecretNames: the ConfigMaps and Secrets a pod reads,
/// through its volumes (also projected) and its containers' env and envFrom.
/// </summary>
public static class ObjectReferences
{
    public static IReadOnlyList<(ConfigKind Kind, string Name)> Of(PodModel pod)
    {
        var refs = new HashSet<(ConfigKind, string)>();
        foreach (var v in pod.Volumes)
            foreach (var source in v.Sources.OfType<ObjectProjection>())
                refs.Add((source.Kind, source.Name));
        foreach (var c in pod.All)
        {
            foreach (var from in c.EnvFrom) refs.Add((from.Kind, from.Name));
            foreach (var e in c.Env)
                if (e.KeyRef is { } r) refs.Add((r.Kind, r.Name));
        }
        refs.RemoveWhere(r => r.Item2.Length == 0);
        return refs.ToArray();
    }
}
