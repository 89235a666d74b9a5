using System.Collections.Concurrent;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.Framework;

public sealed class ControllerSpecs : StoreTestBase
{
    public ControllerSpecs() : base(new TempDir()) { }

    /// <summary>Syncs ConfigMap keys; the first <c>failures</c> syncs of "default/flaky" throw.</summary>
    private sealed class ProbeController : Controller
    {
        private readonly IActorRef _probe;
        private readonly ConcurrentDictionary<string, int> _active;
        private int _failures;

        public ProbeController(ControllerContext context, IActorRef probe, int failures, ConcurrentDictionary<string, int> active)
            : base(context, "probe-controller", workers: 4)
        {
            _probe = probe;
            _failures = failures;
            _active = active;
            Handle(Informers.For<V1ConfigMap>(), added: Enqueue, updated: (_, n) => Enqueue(n));
        }

        protected override async Task<SyncResult> Sync(string key)
        {
            if (_active.AddOrUpdate(key, 1, (_, n) => n + 1) > 1) _probe.Tell($"concurrent {key}");
            try
            {
                await Task.Delay(20);
                if (key == "default/flaky" && Interlocked.Decrement(ref _failures) >= 0) throw new InvalidOperationException("boom");
                _probe.Tell($"synced {key}");
                return key == "default/later" ? SyncResult.After(TimeSpan.FromMilliseconds(300)) : SyncResult.Done;
            }
            finally
            {
                _active.AddOrUpdate(key, 0, (_, n) => n - 1);
            }
        }
    }

    private ControllerContext Context(IActorRef store) =>
        new(new ApiClient(new RestStorage(new StoreClient(store, TimeSpan.FromSeconds(10)), new KubernetesPipeline(new AdmissionSettings())), "test"),
            new SharedInformerFactory(Sys, "test", store, TimeProvider.System), TimeProvider.System);

    [Fact]
    public void Keys_are_synced_once_caches_are_synced_never_twice_at_once_and_retried_after_errors()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("configmaps", ConfigMap("a")));
        Ok(store, new CreateObject("configmaps", ConfigMap("flaky")));
        var probe = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new ProbeController(Context(store), probe, 2, new ConcurrentDictionary<string, int>())));

        var seen = new List<string>();
        probe.ReceiveWhile(TimeSpan.FromSeconds(10), m => (string)m, msgs: 2).ToList().ForEach(seen.Add);
        // "a" at once; "flaky" fails twice (retried after 5 and 10 ms) then syncs.
        Assert.Equal(["synced default/a", "synced default/flaky"], seen.Order());

        // A burst of changes to one key while it syncs: it is synced again, but never concurrently.
        for (var i = 0; i < 20; i++) Ok(store, new UpdateObject("configmaps", ConfigMap("a", data: $"v{i}")));
        probe.ExpectMsg("synced default/a", TimeSpan.FromSeconds(10));
        var more = probe.ReceiveWhile(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500), m => (string)m).ToList();
        Assert.DoesNotContain(more, m => m.StartsWith("concurrent"));
        Assert.All(more, m => Assert.Equal("synced default/a", m));
        Assert.True(more.Count < 19, $"{more.Count + 1} syncs for 20 changes: keys added while queued are merged");
    }

    [Fact]
    public void A_sync_asking_to_come_back_later_is_synced_again_after_that_delay()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("configmaps", ConfigMap("later")));
        var probe = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new ProbeController(Context(store), probe, 0, new ConcurrentDictionary<string, int>())));
        probe.ExpectMsg("synced default/later", TimeSpan.FromSeconds(10));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(150));
        probe.ExpectMsg("synced default/later", TimeSpan.FromSeconds(5));
    }
}
