using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Store;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Admission;

/// <summary>
/// ResourceQuota, the admission plugin every default kube-apiserver runs, on create: the usage an
/// object adds (a pod: pods and its cpu/memory requests and limits; other kinds: their object count)
/// must fit every quota of the namespace that limits it, else 403 <c>exceeded quota: q, requested:
/// pods=1, used: pods=2, limited: pods=2</c>. A quota whose status the controller has not filled yet
/// refuses with <c>status unknown for quota</c>. The admitted usage is added to the quota's
/// status.used at once (with the Store's optimistic concurrency), as the plugin does, so that quick
/// creates cannot pass the limit before the controller recounts.
/// </summary>
public static class ResourceQuotaAdmission
{
    private const int Retries = 5;

    public static async Task<ApiStatus?> AdmitCreate(ResourceType type, JsonObject obj, StoreClient store, bool dryRun)
    {
        if (!type.Namespaced || type == ResourceCatalog.Events || type == ResourceCatalog.EventsV1) return null;
        var ns = KubeObject.Namespace(obj);
        for (var attempt = 0; ; attempt++)
        {
            var (list, error) = await store.List(new ListObjects(ResourceCatalog.ResourceQuotas.GroupResource, ns, Immediate: true));
            if (list is null) return ApiStatus.Forbidden(type, KubeObject.Name(obj), error?.Message ?? "cannot list resource quotas");
            if (list.Items.Count == 0) return null;
            var requested = Usage(type, obj);
            var updates = new List<JsonObject>();
            foreach (var quota in list.Items.Select(i => KubeObject.Parse(i.Utf8)).OrderBy(KubeObject.Name, StringComparer.Ordinal))
            {
                var limited = (KubeObject.At(quota, "spec.hard") as JsonObject)?.Select(p => p.Key).Where(requested.ContainsKey).ToList() ?? [];
                if (limited.Count == 0) continue;
                var name = KubeObject.Name(quota);
                var hard = KubeObject.At(quota, "status.hard") as JsonObject;
                var unknown = limited.Where(r => hard?[r] is null).Order(StringComparer.Ordinal).ToList();
                if (unknown.Count > 0)
                    return ApiStatus.Forbidden(type, KubeObject.Name(obj), $"status unknown for quota: {name}, resources: {string.Join(",", unknown)}");
                var used = KubeObject.At(quota, "status.used") as JsonObject;
                var exceeded = limited.Where(r => Value(used?[r]) + requested[r] > Value(hard![r])).Order(StringComparer.Ordinal).ToList();
                if (exceeded.Count > 0)
                    return ApiStatus.Forbidden(type, KubeObject.Name(obj),
                        $"exceeded quota: {name}, requested: {Pretty(exceeded, r => Format(r, requested[r]))}, " +
                        $"used: {Pretty(exceeded, r => Text(used?[r]))}, limited: {Pretty(exceeded, r => Text(hard![r]))}");
                var next = KubeObject.EnsureObject(KubeObject.EnsureObject(quota, "status"), "used");
                foreach (var r in limited) next[r] = Format(r, Value(used?[r]) + requested[r]);
                updates.Add(quota);
            }
            if (dryRun) return null;
            var conflict = false;
            foreach (var quota in updates)
            {
                var result = await store.Update(ResourceCatalog.ResourceQuotas.GroupResource, quota, "status");
                if (result.Error?.Code == 409) { conflict = true; break; }
            }
            if (!conflict) return null;
            if (attempt >= Retries)
                return ApiStatus.Forbidden(type, KubeObject.Name(obj), "Operation cannot be fulfilled on resourcequotas: the object has been modified; please apply your changes to the latest version and try again");
        }
    }

    /// <summary>The usage the object adds, by quota resource name.</summary>
    private static Dictionary<string, decimal> Usage(ResourceType type, JsonObject obj)
    {
        var usage = new Dictionary<string, decimal>(StringComparer.Ordinal) { [$"count/{type.GroupResource}"] = 1 };
        if (type.Group.Length == 0 && type.Plural is "configmaps" or "secrets" or "services" or "persistentvolumeclaims" or "replicationcontrollers" or "resourcequotas")
            usage[type.Plural] = 1;
        if (type == ResourceCatalog.Services && KubeObject.ScalarAt(obj, "spec.type") is "NodePort" or "LoadBalancer")
        {
            usage["services.nodeports"] = (KubeObject.At(obj, "spec.ports") as JsonArray)?.Count ?? 0;
            if (KubeObject.ScalarAt(obj, "spec.type") == "LoadBalancer") usage["services.loadbalancers"] = 1;
        }
        if (type != ResourceCatalog.Pods) return usage;
        var pod = KubeModels.Decode<V1Pod>(obj);
        if (!Controllers.ResourceQuota.QuotaUsage.IsCounted(pod)) return [];
        usage["pods"] = 1;
        var requests = Akka.KubeEmu.Actors.Resources.PodRequests.Of(pod);
        usage["cpu"] = usage["requests.cpu"] = requests.MilliCpu / 1000m;
        usage["memory"] = usage["requests.memory"] = requests.Memory;
        var limits = (pod.Spec?.Containers ?? []).Aggregate(default(Akka.KubeEmu.Actors.Resources.ResourceRequests), (sum, c) => sum + Akka.KubeEmu.Actors.Resources.ResourceRequests.FromList(c.Resources?.Limits));
        usage["limits.cpu"] = limits.MilliCpu / 1000m;
        usage["limits.memory"] = limits.Memory;
        return usage;
    }

    private static decimal Value(JsonNode? quantity) => StorageQuantity.Parse(quantity) ?? 0;

    private static string Text(JsonNode? quantity) => Printers.CorePrinters.Quantity(quantity);

    /// <summary>A usage as the quota would print it: cpu in cores or millicores, memory binary, counts whole.</summary>
    private static string Format(string resource, decimal value) =>
        new ResourceQuantity(value, 0, resource.EndsWith("memory", StringComparison.Ordinal) ? ResourceQuantity.SuffixFormat.BinarySI : ResourceQuantity.SuffixFormat.DecimalSI)
            .CanonicalizeString();

    /// <summary>prettyPrint: "name=value" sorted by name, joined with commas.</summary>
    private static string Pretty(IEnumerable<string> resources, Func<string, string> value) =>
        string.Join(",", resources.Select(r => $"{r}={value(r)}"));
}
