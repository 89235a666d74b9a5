using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Node;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.ReplicaSet;

/// <summary>
/// Nothing is created twice: not while the pod watch lags behind the controller's own creates
/// (expectations), not after the controller manager or the Store restarts (the relisted cache is the truth).
/// </summary>
public sealed class ReplicaSetResilienceSpecs : ReplicaSetTestBase
{
    [Fact]
    public void A_lagging_pod_watch_does_not_make_the_controller_create_again()
    {
        var gate = Sys.ActorOf(WatchGate.Props(Proxy), "watch-gate");
        StartController(informersStore: gate);
        gate.Tell(new WatchGate.Hold("pods"));
        var rs = CreateReplicaSet(NewReplicaSet("web", 3));
        // Small steps: all of this must happen well within the 5 minutes after which expectations expire.
        var step = TimeSpan.FromMilliseconds(5);
        Eventually(() => AllPods().Count == 3 ? "created" : null, Budget, "3 pods in the Store", step);

        // A spec change makes the controller sync again while its pod cache still shows none of them.
        // Once observedGeneration says 2, that sync is over: without expectations it would have created 3 more.
        UpdateReplicaSet("web", r => r.Spec.MinReadySeconds = 1);
        var resynced = WaitForStatus("web", s => s.ObservedGeneration == 2, "the sync of generation 2", step: step);
        Assert.True(Time.GetUtcNow().UtcDateTime - rs.Metadata.CreationTimestamp!.Value < TimeSpan.FromMinutes(4), "well within the expectations' timeout");
        Assert.Equal(0, resynced.Status.Replicas); // it really did not see the pods yet
        Assert.Equal(3, AllPods().Count);

        gate.Tell(new WatchGate.Release("pods"));
        WaitForStatus("web", s => s.Replicas == 3, "the pods seen at last");
        UpdateReplicaSet("web", r => r.Spec.MinReadySeconds = 2);
        WaitForStatus("web", s => s.ObservedGeneration == 3, "the sync of generation 3");
        Assert.Equal(3, ActivePodsOf(rs).Count);
        Assert.Equal(3, AllPods().Count);
        WaitForEvents("web", "SuccessfulCreate", 3);
    }

    [Fact]
    public void A_restarted_controller_manager_lists_again_and_creates_nothing_twice()
    {
        var first = StartController();
        var rs = CreateReplicaSet(NewReplicaSet("web", 3));
        var before = WaitForActivePods(rs, 3).Select(p => p.Metadata.Uid).ToHashSet();
        WaitForStatus("web", s => s.Replicas == 3, "status.replicas 3");
        StopController(first);

        // While no controller runs: one pod goes, and the ReplicaSet changes.
        Assert.Null(Await(Api.Delete<k8s.Models.V1Pod>("default", ActivePodsOf(rs)[0].Metadata.Name)));
        UpdateReplicaSet("web", r => r.Spec.MinReadySeconds = 1);

        StartController();
        WaitForStatus("web", s => s.ObservedGeneration == 2 && s.Replicas == 3, "the new controller's first sync");
        var after = ActivePodsOf(rs).Select(p => p.Metadata.Uid).ToHashSet();
        Assert.Equal(3, after.Count);
        Assert.Equal(2, after.Intersect(before).Count()); // only the deleted pod was replaced
        WaitForEvents("web", "SuccessfulCreate", 4);

        UpdateReplicaSet("web", r => r.Spec.Replicas = 4);
        WaitForActivePods(rs, 4, "scaled up by the new controller");
        WaitForEvents("web", "SuccessfulCreate", 5);
    }

    [Fact]
    public void After_a_store_restart_the_informers_resume_and_the_controller_creates_nothing_twice()
    {
        StartController();
        var rs = CreateReplicaSet(NewReplicaSet("web", 3));
        var before = WaitForActivePods(rs, 3).Select(p => p.Metadata.Uid).ToHashSet();
        WaitForStatus("web", s => s.Replicas == 3, "status.replicas 3");

        Watch(Store);
        Sys.Stop(Store);
        ExpectTerminated(Store);
        var restarted = Sys.ActorOf(StoreActor.Props(new StoreSettings(), Time), "store-2");
        Proxy.Tell(new StoreProxy.Open(restarted));

        UpdateReplicaSet("web", r => r.Spec.Replicas = 4);
        WaitForActivePods(rs, 4, "scaled up after the restart");
        WaitForStatus("web", s => s.ObservedGeneration == 2 && s.Replicas == 4, "the sync of generation 2");
        Assert.Subset(ActivePodsOf(rs).Select(p => p.Metadata.Uid).ToHashSet(), before);
        Assert.Equal(4, AllPods().Count);
        WaitForEvents("web", "SuccessfulCreate", 4);
    }
}
