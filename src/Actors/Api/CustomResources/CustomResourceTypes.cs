using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.CustomResources;

/// <summary>
/// The REST resources a CustomResourceDefinition defines, one per served version, as the
/// apiextensions-apiserver's crdHandler builds its per-version storage.
/// </summary>
public static class CustomResourceTypes
{
    public const string ApiGroup = "apiextensions.k8s.io";

    /// <summary>Served versions of an established definition; none while it is not established.</summary>
    public static IReadOnlyList<ResourceType> Of(JsonObject crd)
    {
        if (!IsEstablished(crd)) return [];
        // Discovery lists a group's versions by Kubernetes version priority: v2, v1, v1beta2, v1beta1, v1alpha1, then others.
        return AllVersions(crd).Where(v => v.Served).Select(v => v.Type)
            .OrderBy(t => t.Version, VersionPriority.Instance).ToArray();
    }

    /// <summary>The version objects are stored in (whether served or not): the Store's view of the resource.</summary>
    public static ResourceType? Storage(JsonObject crd) =>
        AllVersions(crd).FirstOrDefault(v => v.Storage).Type;

    public static bool IsEstablished(JsonObject crd) =>
        (KubeObject.At(crd, "status.conditions") as JsonArray)?.OfType<JsonObject>()
            .Any(c => KubeObject.String(c, "type") == "Established" && KubeObject.String(c, "status") == "True") == true;

    private static IEnumerable<(ResourceType Type, bool Served, bool Storage)> AllVersions(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var names = spec?["names"] as JsonObject;
        var group = KubeObject.String(spec, "group") ?? "";
        var plural = KubeObject.String(names, "plural") ?? "";
        var kind = KubeObject.String(names, "kind") ?? "";
        if (group.Length == 0 || plural.Length == 0 || kind.Length == 0) yield break;
        var singular = KubeObject.String(names, "singular") is { Length: > 0 } given ? given : kind.ToLowerInvariant();
        var namespaced = KubeObject.String(spec, "scope") != "Cluster";
        var versions = (spec?["versions"] as JsonArray)?.OfType<JsonObject>().ToArray() ?? [];
        var storage = versions.FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true) is { } sv ? KubeObject.String(sv, "name") ?? "" : "";
        foreach (var v in versions)
        {
            var name = KubeObject.String(v, "name") ?? "";
            var subresources = new List<string>();
            if (KubeObject.At(v, "subresources.status") is JsonObject) subresources.Add("status");
            ScalePaths? scale = null;
            if (KubeObject.At(v, "subresources.scale") is JsonObject s)
            {
                subresources.Add("scale");
                scale = new ScalePaths(KubeObject.String(s, "specReplicasPath") ?? "", KubeObject.String(s, "statusReplicasPath") ?? "",
                    KubeObject.String(s, "labelSelectorPath"));
            }
            var schema = KubeObject.At(v, "schema.openAPIV3Schema") as JsonObject;
            var custom = new CustomResourceVersion(KubeObject.Name(crd), schema?.DeepClone().AsObject(), Columns(v), scale, storage)
            {
                HasValidationRules = schema is not null && StructuralSchema.HasValidationRules(schema),
                Terminating = KubeObject.At(crd, "metadata.deletionTimestamp") is not null,
            };
            var type = new ResourceType(group, name, kind, plural, singular, namespaced, typeof(JsonObject),
                Strings(names?["shortNames"]), Strings(names?["categories"]), subresources, [])
            {
                Custom = custom,
            };
            yield return (type, v["served"]?.GetValue<bool>() == true, name == storage);
        }
    }

    private static IReadOnlyList<PrinterColumn> Columns(JsonObject version) =>
        (version["additionalPrinterColumns"] as JsonArray)?.OfType<JsonObject>().Select(c => new PrinterColumn(
            KubeObject.String(c, "name") ?? "", KubeObject.String(c, "type") ?? "string", KubeObject.String(c, "format") ?? "",
            KubeObject.String(c, "description") ?? "", (int)(KubeObject.Long(c["priority"]) ?? 0), KubeObject.String(c, "jsonPath") ?? "")).ToArray()
        ?? [];

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        (node as JsonArray)?.Select(KubeObject.ScalarText).OfType<string>().ToArray() ?? [];
}
