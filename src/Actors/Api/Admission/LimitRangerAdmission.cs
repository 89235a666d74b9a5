using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Actors.Api.Admission;

/// <summary>
/// LimitRanger, an admission plugin every default kube-apiserver runs, for pods on create: the
/// Container items of the namespace's LimitRanges give each container (and init container) the
/// requests and limits it does not set (defaultRequest, default), recorded in the
/// kubernetes.io/limit-ranger annotation; then the Container items' min and max are enforced
/// (403 Forbidden, worded as the plugin words it). Pod and PersistentVolumeClaim items and
/// maxLimitRequestRatio are not enforced here.
/// </summary>
public static class LimitRangerAdmission
{
    public const string Annotation = "kubernetes.io/limit-ranger";

    public static async Task<ApiStatus?> AdmitCreate(ResourceType type, JsonObject pod, StoreClient store)
    {
        if (type != ResourceCatalog.Pods) return null;
        var ns = KubeObject.Namespace(pod);
        var (list, error) = await store.List(new ListObjects(ResourceCatalog.LimitRanges.GroupResource, ns, Immediate: true));
        if (list is null) return ApiStatus.Forbidden(type, KubeObject.Name(pod), error?.Message ?? "cannot list limit ranges");
        if (list.Items.Count == 0) return null;
        var items = list.Items.SelectMany(i => (KubeObject.At(KubeObject.Parse(i.Utf8), "spec.limits") as JsonArray)?.OfType<JsonObject>() ?? [])
            .Where(item => KubeObject.String(item, "type") == "Container").ToList();
        Default(pod, items);
        var problems = Enforce(pod, items);
        if (problems.Count == 0) return null;
        var reason = problems.Count == 1 ? problems[0] : "[" + string.Join(", ", problems) + "]";
        return ApiStatus.Forbidden(type, NameOrGenerate(pod), reason);
    }

    /// <summary>defaultContainerResourceRequirements + mergePodResourceRequirements.</summary>
    private static void Default(JsonObject pod, List<JsonObject> items)
    {
        var requests = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        var limits = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            foreach (var (name, value) in item["defaultRequest"] as JsonObject ?? []) requests[name] = value;
            foreach (var (name, value) in item["default"] as JsonObject ?? []) limits[name] = value;
        }
        if (requests.Count == 0 && limits.Count == 0) return;
        var notes = new List<string>();
        foreach (var (list, prefix) in new[] { ("containers", "container"), ("initContainers", "init container") })
            foreach (var container in (KubeObject.At(pod, $"spec.{list}") as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var resources = KubeObject.EnsureObject(container, "resources");
                var setLimits = Merge(KubeObject.EnsureObject(resources, "limits"), limits);
                var setRequests = Merge(KubeObject.EnsureObject(resources, "requests"), requests);
                var name = KubeObject.String(container, "name");
                if (setRequests.Count > 0) notes.Add($"{string.Join(", ", setRequests)} request for {prefix} {name}");
                if (setLimits.Count > 0) notes.Add($"{string.Join(", ", setLimits)} limit for {prefix} {name}");
                if (resources["limits"] is JsonObject { Count: 0 }) resources.Remove("limits");
                if (resources["requests"] is JsonObject { Count: 0 }) resources.Remove("requests");
            }
        if (notes.Count > 0)
            KubeObject.EnsureObject(KubeObject.Metadata(pod), "annotations")[Annotation] = "LimitRanger plugin set: " + string.Join("; ", notes);
    }

    private static List<string> Merge(JsonObject target, SortedDictionary<string, JsonNode?> defaults)
    {
        var set = new List<string>();
        foreach (var (name, value) in defaults)
        {
            if (target.ContainsKey(name)) continue;
            target[name] = value?.DeepClone();
            set.Add(name);
        }
        return set;
    }

    /// <summary>PodValidateLimitFunc for Container items: requests at least min, limits at most max.</summary>
    private static List<string> Enforce(JsonObject pod, List<JsonObject> items)
    {
        var problems = new List<string>();
        foreach (var item in items)
            foreach (var container in new[] { "containers", "initContainers" }
                         .SelectMany(l => (KubeObject.At(pod, $"spec.{l}") as JsonArray)?.OfType<JsonObject>() ?? []))
            {
                foreach (var (name, min) in item["min"] as JsonObject ?? [])
                {
                    var request = (KubeObject.At(container, "resources.requests") as JsonObject)?[name];
                    if (request is null) problems.Add($"minimum {name} usage per Container is {Text(min)}.  No request is specified");
                    else if (StorageQuantity.Parse(request) < StorageQuantity.Parse(min))
                        problems.Add($"minimum {name} usage per Container is {Text(min)}, but request is {Text(request)}");
                }
                foreach (var (name, max) in item["max"] as JsonObject ?? [])
                {
                    var limit = (KubeObject.At(container, "resources.limits") as JsonObject)?[name];
                    if (limit is null) problems.Add($"maximum {name} usage per Container is {Text(max)}.  No limit is specified");
                    else if (StorageQuantity.Parse(limit) > StorageQuantity.Parse(max))
                        problems.Add($"maximum {name} usage per Container is {Text(max)}, but limit is {Text(limit)}");
                }
            }
        return problems;
    }

    private static string Text(JsonNode? quantity) => Printers.CorePrinters.Quantity(quantity);

    private static string NameOrGenerate(JsonObject obj) =>
        KubeObject.Name(obj) is { Length: > 0 } name ? name : KubeObject.ScalarAt(obj, "metadata.generateName") ?? "";
}
