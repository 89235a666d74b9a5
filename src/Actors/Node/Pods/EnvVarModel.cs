using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node.ConfigObjects;

namespace Akka.KubeEmu.Actors.Node.Pods;

/// <summary>A key of a ConfigMap or Secret (configMapKeyRef, secretKeyRef, a volume's source).</summary>
public sealed record KeyRef(ConfigKind Kind, string Name, string Key, bool Optional);

/// <summary>resourceFieldRef: a container's request or limit, in units of the divisor.</summary>
public sealed record ResourceFieldRef(string? ContainerName, string Resource, string? Divisor);

/// <summary>One env entry: a value ($(NAME) expanded), or a valueFrom the kubelet resolves when the container starts.</summary>
public sealed record EnvVarModel(string Name, string? Value, string? FieldPath)
{
    public KeyRef? KeyRef { get; init; }

    public ResourceFieldRef? ResourceField { get; init; }

    public static EnvVarModel Parse(JsonObject e) => new(
        KubeObject.String(e, "name") ?? "",
        KubeObject.String(e, "value"),
        KubeObject.ScalarAt(e, "valueFrom.fieldRef.fieldPath"))
    {
        KeyRef = Ref(KubeObject.At(e, "valueFrom.configMapKeyRef"), ConfigKind.ConfigMap)
                 ?? Ref(KubeObject.At(e, "valueFrom.secretKeyRef"), ConfigKind.Secret),
        ResourceField = KubeObject.At(e, "valueFrom.resourceFieldRef") is JsonObject r ? ParseResourceField(r) : null,
    };

    public static ResourceFieldRef ParseResourceField(JsonObject r) =>
        new(KubeObject.String(r, "containerName"), KubeObject.String(r, "resource") ?? "", KubeObject.ScalarText(r["divisor"]));

    private static KeyRef? Ref(JsonNode? node, ConfigKind kind) => node is JsonObject o
        ? new KeyRef(kind, KubeObject.String(o, "name") ?? "", KubeObject.String(o, "key") ?? "", Bool(o["optional"]))
        : null;

    internal static bool Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}

/// <summary>envFrom: every key of a ConfigMap or Secret as a variable, with an optional prefix.</summary>
public sealed record EnvFromModel(ConfigKind Kind, string Name, string Prefix, bool Optional)
{
    public static EnvFromModel? Parse(JsonObject e)
    {
        var prefix = KubeObject.String(e, "prefix") ?? "";
        if (e["configMapRef"] is JsonObject cm) return new(ConfigKind.ConfigMap, KubeObject.String(cm, "name") ?? "", prefix, EnvVarModel.Bool(cm["optional"]));
        if (e["secretRef"] is JsonObject s) return new(ConfigKind.Secret, KubeObject.String(s, "name") ?? "", prefix, EnvVarModel.Bool(s["optional"]));
        return null;
    }
}

/// <summary>A volumeMount: the volume, where, and the subPath within it.</summary>
public sealed record VolumeMountModel(string Volume, string MountPath)
{
    public string SubPath { get; init; } = "";

    public bool ReadOnly { get; init; }

    public static VolumeMountModel Parse(JsonObject m) => new(KubeObject.String(m, "name") ?? "", KubeObject.String(m, "mountPath") ?? "")
    {
        SubPath = KubeObject.String(m, "subPath") ?? "",
        ReadOnly = EnvVarModel.Bool(m["readOnly"]),
    };
}
