using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Workqueue;

namespace Akka.KubeEmu.Actors.Controllers.Framework;

/// <summary>What every controller of the ControllerManager shares: the API, the informers and the clock.</summary>
/// <param name="Api">The in-process API client (the same pipeline as kubectl's requests).</param>
/// <param name="Informers">The ControllerManager's shared informers.</param>
/// <param name="Time">The clock (virtual in scenario tests).</param>
/// <param name="Metrics">Counts the syncs of every controller's queues, when given.</param>
public sealed record ControllerContext(ApiClient Api, SharedInformerFactory Informers, TimeProvider Time, WorkqueueMetrics? Metrics = null)
{
    /// <summary>An event recorder reporting as <paramref name="component"/> (source.component), e.g. "replicaset-controller".</summary>
    public EventRecorder Recorder(string component) => new(Api.As(component), new EventSource(component), Time);
}
