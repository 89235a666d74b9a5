using Akka.KubeEmu.Actors.Node.ConfigObjects;
using Akka.KubeEmu.Actors.Node.Pods;

namespace Akka.KubeEmu.Actors.Node.Volumes;

/// <summary>The files of a volume (relative path to content), or why it cannot be set up.</summary>
/// <param name="Waiting">An object the node has not finished listing: try again shortly, without an event.</param>
/// <param name="Modes">Each file's mode: its item's mode, else the volume's defaultMode.</param>
public sealed record VolumePayload(IReadOnlyDictionary<string, string>? Files, string? Error, bool Waiting = false,
    IReadOnlyDictionary<string, int>? Modes = null);

/// <summary>
/// The payload the kubelet's configMap, secret, downwardAPI and projected volume plugins write
/// (MakePayload, CollectData): every key (or the items' keys at their paths) of the source;
/// a missing source is an error unless optional (then an empty volume); errors of several
/// projected sources are aggregated as utilerrors does.
/// </summary>
public static class VolumeProjector
{
    public static VolumePayload Build(VolumeModel volume, PodModel pod, ConfigObjectCache objects, string? podIp, string hostIp, NodeCapacity node)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var modes = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var source in volume.Sources)
        {
            switch (source)
            {
                case ObjectProjection o:
                    var found = objects.Get(o.Kind, pod.Namespace, o.Name);
                    if (found.State == Lookup.NotSynced) return new VolumePayload(null, null, Waiting: true);
                    if (found.Object is not { } obj)
                    {
                        if (!o.Optional) errors.Add(ConfigObject.NotFound(o.Kind, o.Name));
                        continue;
                    }
                    if (Payload(o, obj, files) is { } missingKey) errors.Add(missingKey);
                    foreach (var item in o.Items)
                        if (item.Mode is { } itemMode) modes[item.Path] = itemMode;
                    break;
                case DownwardApiProjection d:
                    foreach (var item in d.Items)
                    {
                        if (item.Mode is { } itemMode) modes[item.Path] = itemMode;
                        if (item.FieldPath is { } field)
                        {
                            if (DownwardApi.FieldValue(pod, field, podIp, hostIp) is { } value) files[item.Path] = value;
                            else errors.Add($"unsupported fieldPath: {field}");
                        }
                        else if (item.ResourceField is { } r)
                        {
                            var container = pod.All.FirstOrDefault(c => c.Name == r.ContainerName);
                            if (container is null)
                            {
                                errors.Add($"container {r.ContainerName} not found");
                                continue;
                            }
                            var (value, error) = DownwardApi.ResourceValue(container, r, node);
                            if (error is not null) errors.Add(error);
                            else files[item.Path] = value!;
                        }
                    }
                    break;
                case TokenProjection t:
                    files[t.Path] = ServiceAccountToken(pod, t);
                    break;
            }
        }
        return errors.Count switch
        {
            0 => new VolumePayload(files, null, Modes: files.Keys.ToDictionary(k => k, k => modes.GetValueOrDefault(k, volume.DefaultMode), StringComparer.Ordinal)),
            1 => new VolumePayload(null, errors[0]),
            _ => new VolumePayload(null, "[" + string.Join(", ", errors) + "]"),
        };
    }

    /// <summary>MakePayload of the configmap and secret plugins.</summary>
    private static string? Payload(ObjectProjection source, ConfigObject obj, IDictionary<string, string> files)
    {
        if (source.Items.Count == 0)
        {
            foreach (var (key, value) in obj.Data) files[key] = value;
            return null;
        }
        foreach (var item in source.Items)
        {
            if (obj.Data.TryGetValue(item.Key, out var value)) files[item.Path] = value;
            else if (!source.Optional)
                return source.Kind == ConfigKind.ConfigMap
                    ? $"configmap references non-existent config key: {item.Key}"
                    : $"references non-existent secret key: {item.Key}";
        }
        return null;
    }

    /// <summary>
    /// A token-shaped stand-in (the emulated API server issues no tokens): header.claims.signature,
    /// the claims naming the pod and its service account as a bound token's do.
    /// </summary>
    private static string ServiceAccountToken(PodModel pod, TokenProjection t)
    {
        static string B64(string s) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var claims = new System.Text.Json.Nodes.JsonObject
        {
            ["aud"] = new System.Text.Json.Nodes.JsonArray(t.Audience ?? "https://kubernetes.default.svc.cluster.local"),
            ["iss"] = "https://kubernetes.default.svc.cluster.local",
            ["kubernetes.io"] = new System.Text.Json.Nodes.JsonObject
            {
                ["namespace"] = pod.Namespace,
                ["pod"] = new System.Text.Json.Nodes.JsonObject { ["name"] = pod.Name, ["uid"] = pod.Uid },
                ["serviceaccount"] = new System.Text.Json.Nodes.JsonObject { ["name"] = pod.ServiceAccountName },
            },
            ["sub"] = $"system:serviceaccount:{pod.Namespace}:{pod.ServiceAccountName}",
        }.ToJsonString();
        return B64("""{"alg":"RS256","kid":"kubeemu"}""") + "." + B64(claims) + "." + B64("kubeemu-unsigned");
    }
}
