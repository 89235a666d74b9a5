using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

namespace Akka.KubeEmu.Actors.Node.Volumes;

/// <summary>
/// The volumes a node process has mounted, one tree per folder, shared by every pod of the
/// process that mounts it (two pods of one node, or of two hollow nodes, see the same files).
/// A folder is read when its first user mounts it and forgotten when its last user goes, so a
/// pod started later (here or in another process) reads what is on disk then. Each folder keeps
/// one <see cref="DiskVolume"/> for the life of the process: a reload waits for the writes of the
/// previous mount, which keeps them in order.
/// </summary>
public sealed class VolumeStore(VolumeSettings? settings, Action<string, Exception>? failed = null)
{
    /// <summary>A store that keeps nothing on disk: every volume lives in memory (unit specs).</summary>
    public static readonly VolumeStore InMemory = new(null);

    private readonly object _gate = new();
    private readonly Dictionary<string, DiskVolume> _disks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Mount> _mounts = new(StringComparer.Ordinal);

    public VolumeSettings? Settings => settings;

    /// <summary>The tree of a folder, read from disk off the caller's thread when nobody has it mounted.</summary>
    public Task<FileTree> Acquire(string folder)
    {
        if (settings is null) throw new InvalidOperationException("volumes are not stored on disk in this process");
        var root = Path.GetFullPath(folder);
        lock (_gate)
        {
            if (_mounts.TryGetValue(root, out var mount))
            {
                mount.Users++;
                return mount.Tree;
            }
            if (!_disks.TryGetValue(root, out var disk)) _disks[root] = disk = new DiskVolume(root, failed);
            var max = settings.MaxFileBytes;
            var load = Task.Run(async () =>
            {
                await disk.WhenIdle().ConfigureAwait(false);
                return disk.Load(max);
            });
            _mounts[root] = new Mount(load);
            // A failed read is not kept: the next mount tries again.
            load.ContinueWith(_ => Forget(root, load), TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            return load;
        }
    }

    /// <summary>One user of the folder is done with it.</summary>
    public void Release(string folder)
    {
        var root = Path.GetFullPath(folder);
        lock (_gate)
        {
            if (!_mounts.TryGetValue(root, out var mount)) return;
            if (--mount.Users <= 0) _mounts.Remove(root);
        }
    }

    /// <summary>Completes once every change made to the folder so far is on disk.</summary>
    public Task Flushed(string folder)
    {
        lock (_gate) return _disks.TryGetValue(Path.GetFullPath(folder), out var disk) ? disk.WhenIdle() : Task.CompletedTask;
    }

    private void Forget(string root, Task<FileTree> load)
    {
        lock (_gate)
            if (_mounts.TryGetValue(root, out var mount) && mount.Tree == load) _mounts.Remove(root);
    }

    private sealed class Mount(Task<FileTree> tree)
    {
        public Task<FileTree> Tree { get; } = tree;
        public int Users { get; set; } = 1;
    }
}
