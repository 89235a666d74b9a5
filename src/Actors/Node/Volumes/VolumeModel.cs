using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node.ConfigObjects;
using Akka.KubeEmu.Actors.Node.Pods;

namespace Akka.KubeEmu.Actors.Node.Volumes;

/// <summary>items[]: a key of the source written at a path (with a file mode).</summary>
public sealed record KeyToPath(string Key, string Path, int? Mode);

/// <summary>A downwardAPI item: a pod field or a container resource written at a path.</summary>
public sealed record DownwardItem(string Path, string? FieldPath, ResourceFieldRef? ResourceField, int? Mode);

/// <summary>One source of a projected volume (or the whole source of a configMap/secret/downwardAPI volume).</summary>
public abstract record Projection;

/// <summary>configMap / secret: its keys (all, or the items) as files.</summary>
public sealed record ObjectProjection(ConfigKind Kind, string Name, IReadOnlyList<KeyToPath> Items, bool Optional) : Projection;

public sealed record DownwardApiProjection(IReadOnlyList<DownwardItem> Items) : Projection;

/// <summary>serviceAccountToken: a token file (here an unsigned stand-in, the API server issues no tokens).</summary>
public sealed record TokenProjection(string Path, string? Audience, long ExpirationSeconds) : Projection;

/// <summary>
/// A pod volume as the kubelet's volume plugins see it: the kinds whose content the kubelet writes
/// (configMap, secret, downwardAPI, projected) with their sources; every other kind (emptyDir...)
/// has none and starts empty.
/// </summary>
public sealed record VolumeModel(string Name, string Kind, IReadOnlyList<Projection> Sources, int DefaultMode)
{
    /// <summary>The volume plugins whose content the kubelet writes from API objects (atomic writer volumes).</summary>
    public bool IsProjected => Kind is "configMap" or "secret" or "downwardAPI" or "projected";

    /// <summary>persistentVolumeClaim.claimName; null for other kinds.</summary>
    public string? ClaimName { get; init; }

    /// <summary>hostPath.path; null for other kinds.</summary>
    public string? HostPath { get; init; }

    /// <summary>The kinds whose data outlives the pod: a claim's volume, or the node's own disk.</summary>
    public bool IsPersistent => ClaimName is not null || HostPath is not null;

    /// <summary>The default of defaultMode: 0644.</summary>
    public const int DefaultFileMode = 420;

    public static VolumeModel Parse(JsonObject v)
    {
        var name = KubeObject.String(v, "name") ?? "";
        if (v["configMap"] is JsonObject cm)
            return new(name, "configMap", [Object(ConfigKind.ConfigMap, cm, "name")], Mode(cm) ?? DefaultFileMode);
        if (v["secret"] is JsonObject s)
            return new(name, "secret", [Object(ConfigKind.Secret, s, "secretName")], Mode(s) ?? DefaultFileMode);
        if (v["downwardAPI"] is JsonObject d)
            return new(name, "downwardAPI", [Downward(d)], Mode(d) ?? DefaultFileMode);
        if (v["projected"] is JsonObject p)
            return new(name, "projected", (p["sources"] as JsonArray)?.OfType<JsonObject>().Select(Source).OfType<Projection>().ToArray() ?? [],
                Mode(p) ?? DefaultFileMode);
        if (v["persistentVolumeClaim"] is JsonObject claim)
            return new(name, "persistentVolumeClaim", [], DefaultFileMode) { ClaimName = KubeObject.String(claim, "claimName") ?? "" };
        if (v["hostPath"] is JsonObject host)
            return new(name, "hostPath", [], DefaultFileMode) { HostPath = KubeObject.String(host, "path") ?? "/" };
        var kind = v.Select(p => p.Key).FirstOrDefault(k => k != "name") ?? "emptyDir";
        return new(name, kind, [], DefaultFileMode);
    }

    private static Projection? Source(JsonObject source)
    {
        if (source["configMap"] is JsonObject cm) return Object(ConfigKind.ConfigMap, cm, "name");
        if (source["secret"] is JsonObject s) return Object(ConfigKind.Secret, s, "name");
        if (source["downwardAPI"] is JsonObject d) return Downward(d);
        if (source["serviceAccountToken"] is JsonObject t)
            return new TokenProjection(KubeObject.String(t, "path") ?? "token", KubeObject.String(t, "audience"),
                KubeObject.Long(t["expirationSeconds"]) ?? 3600);
        return null;
    }

    private static ObjectProjection Object(ConfigKind kind, JsonObject o, string nameField) => new(kind, KubeObject.String(o, nameField) ?? "",
        (o["items"] as JsonArray)?.OfType<JsonObject>().Select(i => new KeyToPath(KubeObject.String(i, "key") ?? "", KubeObject.String(i, "path") ?? "", Mode(i, "mode"))).ToArray() ?? [],
        EnvVarModel.Bool(o["optional"]));

    private static DownwardApiProjection Downward(JsonObject d) => new(
        (d["items"] as JsonArray)?.OfType<JsonObject>().Select(i => new DownwardItem(
            KubeObject.String(i, "path") ?? "",
            KubeObject.ScalarAt(i, "fieldRef.fieldPath"),
            i["resourceFieldRef"] is JsonObject r ? EnvVarModel.ParseResourceField(r) : null,
            Mode(i, "mode"))).ToArray() ?? []);

    private static int? Mode(JsonObject o, string field = "defaultMode") => KubeObject.Long(o[field]) is { } m ? (int)m : null;
}
