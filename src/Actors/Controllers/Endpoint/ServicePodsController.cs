using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Endpoint;

/// <summary>
/// The event handling both endpoints controllers share: a Service's key is queued when the Service
/// changes, and when a pod it selects (or selected) comes, goes or changes what the endpoints show.
/// </summary>
public abstract class ServicePodsController : Controller
{
    protected ServicePodsController(ControllerContext context, string name, int workers) : base(context, name, workers)
    {
        var services = Informers.For<V1Service>();
        var pods = Informers.For<V1Pod>();
        Services = services.Indexer;
        Pods = pods.Indexer;
        Handle(services, added: ServiceChanged, updated: (_, s) => ServiceChanged(s), deleted: ServiceDeleted);
        Handle(pods, added: p => PodChanged(null, p), updated: PodChanged, deleted: PodDeleted);
    }

    protected Indexer<V1Service> Services { get; }

    protected Indexer<V1Pod> Pods { get; }

    protected PodServiceIndex Index { get; } = new();

    /// <summary>The pods the Service selects, from the index.</summary>
    protected List<V1Pod> PodsOf(string serviceKey) => Index.PodsOf(serviceKey).Select(Pods.Get).OfType<V1Pod>().ToList();

    private void ServiceChanged(V1Service service)
    {
        var key = KubeModels.Key(service);
        Index.SetService(key, service, () => Pods.InNamespace(service.Metadata.NamespaceProperty));
        Enqueue(key);
    }

    private void ServiceDeleted(V1Service service)
    {
        var key = KubeModels.Key(service);
        Index.SetService(key, null, () => []);
        ServiceGone(service);
        Enqueue(key);
    }

    /// <summary>A Service is gone: forget what was kept about it.</summary>
    protected virtual void ServiceGone(V1Service service)
    {
    }

    private void PodChanged(V1Pod? old, V1Pod pod)
    {
        var key = KubeModels.Key(pod);
        if (old is null || !SameLabels(old.Metadata?.Labels, pod.Metadata?.Labels))
        {
            foreach (var service in Index.SetPod(key, pod.Metadata?.Labels)) Enqueue(service);
            return;
        }
        if (EndpointPods.Signature(old) == EndpointPods.Signature(pod)) return;
        foreach (var service in Index.ServicesOf(key)) Enqueue(service);
    }

    private void PodDeleted(V1Pod pod)
    {
        foreach (var service in Index.SetPod(KubeModels.Key(pod), null, gone: true)) Enqueue(service);
    }

    private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(p => b!.TryGetValue(p.Key, out var v) && v == p.Value));
}
