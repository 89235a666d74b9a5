using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Store.Allocation;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.LoadBalancer;

/// <summary>
/// What MetalLB's controller does on a bare-metal cluster: every LoadBalancer Service (without a
/// loadBalancerClass) gets an address from the pool in status.loadBalancer.ingress, the one it asks
/// for (spec.loadBalancerIP or metallb.universe.tf/loadBalancerIPs) when that is free; with the pool
/// exhausted it stays &lt;pending&gt; with an AllocationFailed event and gets one when another is freed.
/// One worker: the pool is this actor's state, built from the Services' own status as they are seen.
/// </summary>
public sealed class LoadBalancerController : Controller
{
    public const string RequestAnnotation = "metallb.universe.tf/loadBalancerIPs";

    private readonly Indexer<V1Service> _services;
    private readonly AddressPool _pool;
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);

    public LoadBalancerController(ControllerContext context, string pool) : base(context, "metallb-controller", workers: 1)
    {
        _pool = new AddressPool(pool);
        var services = Informers.For<V1Service>();
        _services = services.Indexer;
        Handle(services, added: Seen, updated: (_, s) => Seen(s), deleted: Gone);
    }

    public static Props Props(ControllerContext context, ServiceNetworkSettings network) =>
        Akka.Actor.Props.Create(() => new LoadBalancerController(context, network.LoadBalancerPool));

    // Addresses already in the Services' status are taken (after a restart, the pool is rebuilt from them).
    private void Seen(V1Service service)
    {
        var key = KubeModels.Key(service);
        if (IsOurs(service))
            foreach (var ip in Ingress(service))
                _pool.Assign(ip, key);
        Enqueue(key);
    }

    private void Gone(V1Service service)
    {
        var key = KubeModels.Key(service);
        var freed = _pool.HeldBy(key).Any();
        _pool.Release(key);
        _waiting.Remove(key);
        if (freed)
            foreach (var waiting in _waiting) Enqueue(waiting);
    }

    private static bool IsOurs(V1Service service) =>
        service.Spec?.Type == "LoadBalancer" && string.IsNullOrEmpty(service.Spec.LoadBalancerClass);

    private static List<string> Ingress(V1Service service) =>
        service.Status?.LoadBalancer?.Ingress?.Select(i => i.Ip).Where(ip => !string.IsNullOrEmpty(ip)).ToList() ?? [];

    protected override async Task<SyncResult> Sync(string key)
    {
        var service = _services.Get(key);
        if (service is null) return SyncResult.Done;
        var ingress = Ingress(service).Where(_pool.Contains).ToList();
        if (!IsOurs(service))
        {
            // No longer a LoadBalancer: the address goes back to the pool and leaves the status.
            var held = _pool.HeldBy(key).Any();
            _pool.Release(key);
            _waiting.Remove(key);
            if (held) foreach (var waiting in _waiting) Enqueue(waiting);
            return ingress.Count == 0 ? SyncResult.Done : await WriteIngress(service, null);
        }
        var requested = Requested(service);
        if (ingress.Count > 0 && ingress.All(ip => _pool.HolderOf(ip) == key) && (requested is null || ingress.Contains(requested)))
            return SyncResult.Done;

        string? address;
        if (requested is not null)
        {
            var holder = _pool.HolderOf(requested);
            address = _pool.Contains(requested) && (holder is null || holder == key) ? requested : null;
            if (address is null)
                return await Failed(service, key, _pool.Contains(requested)
                    ? $"can't change sharing key for \"{key}\", address also in use by {_pool.HolderOf(requested)}"
                    : $"[\"{requested}\"] is not allowed in config");
        }
        else address = _pool.HeldBy(key).FirstOrDefault() ?? _pool.NextFree();
        if (address is null) return await Failed(service, key, "no available IPs");

        _pool.Release(key);
        _pool.Assign(address, key);
        _waiting.Remove(key);
        var result = await WriteIngress(service, address);
        await Recorder.Event(service, EventRecorder.Normal, "IPAllocated", $"Assigned IP [\"{address}\"]");
        return result;
    }

    private async Task<SyncResult> Failed(V1Service service, string key, string reason)
    {
        _waiting.Add(key);
        await Recorder.Event(service, EventRecorder.Warning, "AllocationFailed", $"Failed to allocate IP for \"{key}\": {reason}");
        return SyncResult.Done;
    }

    private static string? Requested(V1Service service) =>
        service.Metadata?.Annotations?.TryGetValue(RequestAnnotation, out var ips) == true && ips.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } list
            ? list[0]
            : string.IsNullOrEmpty(service.Spec?.LoadBalancerIP) ? null : service.Spec.LoadBalancerIP;

    private async Task<SyncResult> WriteIngress(V1Service service, string? address)
    {
        var json = KubeModels.ToJsonObject(service);
        json["status"] = new JsonObject
        {
            ["loadBalancer"] = address is null
                ? new JsonObject()
                : new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = address, ["ipMode"] = "VIP" }) },
        };
        var result = await Api.Update(ResourceCatalog.Services, json, "status");
        if (result.IsConflict) return SyncResult.Retry;
        if (!result.Ok) throw new ApiException(result.Error!);
        return SyncResult.Done;
    }
}
