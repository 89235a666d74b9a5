using System.Globalization;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.ResourceQuota;

/// <summary>
/// kube-controller-manager's resource quota controller (pkg/controller/resourcequota), in part:
/// every quota's status gets <c>hard</c> (its spec's) and <c>used</c>. Pod resources (pods,
/// cpu/memory requests and limits) are recounted when a pod of the namespace changes; object counts
/// (configmaps, secrets, services, count/&lt;resource&gt;, ...) are listed at each sync, and every
/// quota is synced again after the resync period (--resource-quota-sync-period, 5 minutes), as
/// kube-controller-manager does. Usage is reported, not enforced: admission never refuses.
/// </summary>
public sealed class ResourceQuotaController : Controller
{
    public const string ControllerName = "resourcequota-controller";
    public static readonly TimeSpan ResyncPeriod = TimeSpan.FromMinutes(5);

    private readonly Indexer<V1ResourceQuota> _quotas;
    private readonly Indexer<V1Pod> _pods;

    public ResourceQuotaController(ControllerContext context, int workers = 5) : base(context, ControllerName, workers)
    {
        var quotas = Informers.For<V1ResourceQuota>();
        var pods = Informers.For<V1Pod>();
        _quotas = quotas.Indexer;
        _pods = pods.Indexer;
        Handle(quotas, added: Enqueue, updated: (_, cur) =>
        {
            if (!SameHard(cur)) Enqueue(cur);
        });
        Handle(pods, added: PodChanged, updated: (old, cur) =>
        {
            if (QuotaUsage.IsCounted(old) != QuotaUsage.IsCounted(cur)) PodChanged(cur);
        }, deleted: PodChanged);
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new ResourceQuotaController(context, 5));

    private void PodChanged(V1Pod pod)
    {
        foreach (var quota in _quotas.InNamespace(pod.Metadata.NamespaceProperty))
            if (quota.Spec?.Hard?.Keys.Any(QuotaUsage.IsPodResource) == true) Enqueue(quota);
    }

    // A spec change (ResourceQuota tracks no generation) shows as hard limits the status does not have yet.
    private static bool SameHard(V1ResourceQuota quota) =>
        Canonical(quota.Spec?.Hard).SequenceEqual(Canonical(quota.Status?.Hard));

    private static IEnumerable<string> Canonical(IDictionary<string, ResourceQuantity>? list) =>
        (list ?? new Dictionary<string, ResourceQuantity>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}");

    protected override async Task<SyncResult> Sync(string key)
    {
        var quota = _quotas.Get(key);
        if (quota is null) return SyncResult.Done;
        var ns = quota.Metadata.NamespaceProperty;
        var hard = KubeModels.ToJsonObject(quota)["spec"]?["hard"] as JsonObject ?? new JsonObject();
        var used = new JsonObject();
        var pods = _pods.InNamespace(ns);
        foreach (var (name, _) in hard.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (QuotaUsage.IsPodResource(name)) used[name] = QuotaUsage.OfPods(name, pods);
            else if (await ObjectCount(name, ns) is { } count) used[name] = count.ToString(CultureInfo.InvariantCulture);
        }

        var json = KubeModels.ToJsonObject(quota);
        var status = new JsonObject { ["hard"] = hard.DeepClone(), ["used"] = used };
        if (JsonNode.DeepEquals(json["status"], status)) return SyncResult.After(ResyncPeriod);
        json["status"] = status;
        var written = await Api.Update(ResourceCatalog.ResourceQuotas, json, "status");
        if (written.IsNotFound) return SyncResult.Done;
        if (written.IsConflict) return SyncResult.Retry;
        _ = written.Object;
        return SyncResult.After(ResyncPeriod);
    }

    /// <summary>The object-count evaluators: "configmaps", "services.loadbalancers", "count/deployments.apps", ...</summary>
    private async Task<int?> ObjectCount(string name, string ns)
    {
        var (plural, filter) = name switch
        {
            "services.nodeports" => ("services", (Func<JsonObject, bool>)(s => KubeObject.ScalarAt(s, "spec.type") is "NodePort" or "LoadBalancer")),
            "services.loadbalancers" => ("services", s => KubeObject.ScalarAt(s, "spec.type") == "LoadBalancer"),
            _ when name.StartsWith("count/", StringComparison.Ordinal) => (name["count/".Length..], _ => true),
            "configmaps" or "secrets" or "services" or "persistentvolumeclaims" or "replicationcontrollers" or "resourcequotas" => (name, _ => true),
            _ => ("", _ => true),
        };
        var type = ResourceCatalog.Stored.FirstOrDefault(t => t.GroupResource == plural);
        if (type is null || !type.Namespaced) return null;
        var (items, _, error) = await Api.List(type, ns);
        if (items is null) throw new InvalidOperationException(error?.Message ?? $"cannot list {plural}");
        return items.Count(i => filter(KubeObject.Parse(i.Utf8)));
    }
}
