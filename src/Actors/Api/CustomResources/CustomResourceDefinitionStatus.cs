using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.CustomResources;

/// <summary>
/// The status the apiextensions controllers give a definition: the naming controller accepts its names
/// (NamesAccepted, status.acceptedNames), the establishing controller marks it Established, storedVersions
/// gains every storage version, and deletion sets Terminating while the finalizer deletes its objects.
/// Here they are set in the write itself, so a definition is served as soon as it is stored.
/// </summary>
public static class CustomResourceDefinitionStatus
{
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    /// <summary>Names accepted, established, the storage version recorded; conditions keep their transition times.</summary>
    public static void Accept(JsonObject crd, DateTimeOffset now)
    {
        var status = KubeObject.EnsureObject(crd, "status");
        if (KubeObject.At(crd, "spec.names") is JsonObject names) status["acceptedNames"] = names.DeepClone();
        var stored = status["storedVersions"] as JsonArray ?? new JsonArray();
        var storage = (KubeObject.At(crd, "spec.versions") as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b);
        if (storage is not null && KubeObject.String(storage, "name") is { } version
            && !stored.Any(s => KubeObject.ScalarText(s) == version))
            stored.Add(version);
        status["storedVersions"] = stored;
        SetCondition(status, "NamesAccepted", "True", "NoConflicts", "no conflicts found", now);
        SetCondition(status, "Established", "True", "InitialNamesAccepted", "the initial names have been accepted", now);
    }

    /// <summary>What a DELETE does first (the REST Delete of customresourcedefinitions): Terminating, and the cleanup finalizer.</summary>
    public static void MarkTerminating(JsonObject crd, DateTimeOffset now)
    {
        var meta = KubeObject.Metadata(crd);
        var finalizers = meta["finalizers"] as JsonArray ?? new JsonArray();
        if (!finalizers.Any(f => KubeObject.ScalarText(f) == CleanupFinalizer)) finalizers.Add(CleanupFinalizer);
        meta["finalizers"] = finalizers;
        SetCondition(KubeObject.EnsureObject(crd, "status"), "Terminating", "True", "InstanceDeletionInProgress",
            "CustomResource deletion is in progress", now);
    }

    public static void SetCondition(JsonObject status, string type, string value, string reason, string message, DateTimeOffset now)
    {
        var conditions = status["conditions"] as JsonArray ?? new JsonArray();
        status["conditions"] = conditions;
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => KubeObject.String(c, "type") == type);
        if (existing is null)
        {
            conditions.Add(new JsonObject
            {
                ["type"] = type, ["status"] = value, ["lastTransitionTime"] = KubeObject.Timestamp(now), ["reason"] = reason, ["message"] = message,
            });
            return;
        }
        if (KubeObject.String(existing, "status") != value) existing["lastTransitionTime"] = KubeObject.Timestamp(now);
        existing["status"] = value;
        existing["reason"] = reason;
        existing["message"] = message;
    }
}
