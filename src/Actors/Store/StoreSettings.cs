using Akka.Configuration;
using Akka.KubeEmu.Actors.Store.Allocation;

namespace Akka.KubeEmu.Actors.Store;

/// <param name="SnapshotEvery">Minimum journal events a checkpoint cycle is spread over (raised to the object count, so each object is copied at most once per write).</param>
/// <param name="WatchWindow">Changes kept for watches to resume from; older resourceVersions get 410 Gone.</param>
/// <param name="WatchWindowMaxAge">How long a change stays in the window at most (etcd's compaction interval bounds history by time).</param>
/// <param name="JournalTrimStep">Journal rows deleted per step after a snapshot (each step briefly holds SQLite's write lock).</param>
/// <param name="Services">The service cluster IP range and node port range the Store allocates from.</param>
/// <param name="SnapshotChunk">Objects per checkpoint chunk.</param>
/// <param name="WatchMaxUnacknowledged">Events a watcher may have queued or in flight without acknowledging them; one more ends its watch.</param>
public sealed record StoreSettings(int SnapshotEvery = 10_000, int WatchWindow = 100_000, int JournalTrimStep = 1_000,
    int WatchMaxUnacknowledged = 50_000, ServiceNetworkSettings? Services = null, TimeSpan? WatchWindowMaxAge = null, int SnapshotChunk = 1_000)
{
    public TimeSpan WindowMaxAge => WatchWindowMaxAge ?? TimeSpan.FromMinutes(5);

    public static StoreSettings From(Config config) => new(
        config.GetInt("kubeemu.store.snapshot-every", 10_000),
        config.GetInt("kubeemu.store.watch-window", 100_000),
        config.GetInt("kubeemu.store.journal-trim-step", 1_000),
        config.GetInt("kubeemu.store.watch-max-unacknowledged", 50_000),
        ServiceNetworkSettings.From(config),
        config.GetTimeSpan("kubeemu.store.watch-window-max-age", TimeSpan.FromMinutes(5)),
        config.GetInt("kubeemu.store.snapshot-chunk", 1_000));
}
