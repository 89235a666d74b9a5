using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Flowcontrol;
using Akka.KubeEmu.Actors.Node.ConfigObjects;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Volumes;

namespace Akka.KubeEmu.Actors.Node.Pods;

// The volume manager's part for the volumes whose content the kubelet writes (configMap, secret,
// downwardAPI, projected): WaitForAttachAndMount before the sandbox, the reconciler's SetUp retried
// with exponential back-off (FailedMount events), and the remount at every pod sync that carries a
// changed ConfigMap or Secret into the files.
public sealed partial class PodWorker
{
    /// <summary>nestedpendingoperations' exponential back-off for a failed mount: 500 ms doubling to 2 min 2 s.</summary>
    private static readonly TimeSpan MountRetryInitial = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan MountRetryMax = TimeSpan.FromSeconds(122);

    /// <summary>How soon the reconciler looks again at an object the node is still listing (its loop period).</summary>
    private static readonly TimeSpan ReconcilerPeriod = TimeSpan.FromMilliseconds(100);

    private ProjectedVolume[]? _projected;
    private bool _volumesMounted;
    private DateTimeOffset? _volumeResyncAt;

    /// <summary>Tells the node's object manager which ConfigMaps and Secrets this pod reads (RegisterPod).</summary>
    private void RegisterConfigObjects()
    {
        var refs = ObjectReferences.Of(_pod);
        if (refs.Count > 0) _node.ConfigObjects.Register(new RegisterPod(_pod.Uid, _pod.Namespace, refs));
    }

    private void UnregisterConfigObjects() => _node.ConfigObjects.Unregister(_pod.Uid);

    /// <summary>WaitForAttachAndMount: true once every volume is set up; until then the sandbox waits.</summary>
    private bool MountVolumes(DateTimeOffset now)
    {
        if (_volumesMounted) return true;
        var persistent = MountPersistentVolumes(now);
        _projected ??= _pod.Volumes.Where(v => v.IsProjected).Select(v => new ProjectedVolume(v)).ToArray();
        var all = true;
        foreach (var v in _projected)
        {
            if (v.Mounted) continue;
            if (v.RetryAt > now || !SetUp(v, now)) all = false;
        }
        if (!all || !persistent) return false;
        _volumesMounted = true;
        ScheduleVolumeResync(now);
        return true;
    }

    /// <summary>The pod sync that follows syncFrequency: every volume is set up again, so changed objects reach the files.</summary>
    private void ResyncVolumes(DateTimeOffset now)
    {
        if (_volumeResyncAt is not { } at || at > now || _projected is null) return;
        foreach (var v in _projected) SetUp(v, now);
        ScheduleVolumeResync(now);
    }

    private void ScheduleVolumeResync(DateTimeOffset now) =>
        _volumeResyncAt = _projected is { Length: > 0 } ? now + Jitter.Apply(_node.Timing.KubeletSyncFrequency, 0.5) : null;

    /// <summary>The next volume event: a mount to retry, or the next resync.</summary>
    private DateTimeOffset? VolumeDue()
    {
        if (_pod.Deleting || _terminalPhase is not null || _rejection is not null || _projected is null) return null;
        if (_volumesMounted) return _volumeResyncAt;
        var due = PersistentVolumeDue();
        foreach (var v in _projected)
            if (!v.Mounted && v.RetryAt is { } t && (due is null || t < due)) due = t;
        return due;
    }

    /// <summary>MountVolume.SetUp: writes the payload (atomically) or records why it cannot.</summary>
    private bool SetUp(ProjectedVolume v, DateTimeOffset now)
    {
        v.RetryAt = null;
        var payload = VolumeProjector.Build(v.Model, _pod, _node.ConfigObjects.Cache, _podIp, _node.Network.InternalIp, _node.Capacity);
        if (payload.Waiting)
        {
            v.RetryAt = now + ReconcilerPeriod;
            return false;
        }
        if (payload.Error is { } error)
        {
            Event(EventRecorder.Warning, "FailedMount", $"MountVolume.SetUp failed for volume \"{v.Model.Name}\" : {error}");
            v.RetryAt = now + v.Backoff.NextDelay(now);
            return false;
        }
        AtomicWriter.Write(VolumeTree(v.Model.Name), payload.Files!, v.Files, now, payload.Modes);
        v.Files = payload.Files;
        v.Mounted = true;
        v.Backoff.Reset();
        return true;
    }

    /// <summary>The tree of a pod volume, shared by the containers that mount it.</summary>
    private FileTree VolumeTree(string volume)
    {
        _volumes ??= new Dictionary<string, FileTree>(StringComparer.Ordinal);
        if (!_volumes.TryGetValue(volume, out var tree)) _volumes[volume] = tree = new FileTree();
        return tree;
    }

    /// <summary>What a container mounts: the volume's tree, or for a subPath of a written volume a copy taken now.</summary>
    private FileTree MountedTree(VolumeMountModel mount)
    {
        var tree = VolumeTree(mount.Volume);
        if (mount.SubPath.Length == 0 || _projected?.Any(p => p.Model.Name == mount.Volume) != true) return tree;
        return AtomicWriter.SubPathCopy(tree, mount.SubPath);
    }

    /// <summary>
    /// The directory of a shared volume (emptyDir, a claim's, hostPath) a subPath mount shows, made
    /// when missing as the kubelet makes it; "" for a whole volume or a written one (a copy, above).
    /// </summary>
    private string SubPathOf(VolumeMountModel mount)
    {
        var subPath = mount.SubPath.Trim('/');
        if (subPath.Length == 0 || _projected?.Any(p => p.Model.Name == mount.Volume) == true) return "";
        var tree = VolumeTree(mount.Volume);
        if (!tree.DirectoryExists(subPath) && !tree.FileExists(subPath)) tree.MakeDirectory(subPath);
        return subPath;
    }

    private sealed class ProjectedVolume(VolumeModel model)
    {
        public VolumeModel Model { get; } = model;
        public bool Mounted { get; set; }
        public IReadOnlyDictionary<string, string>? Files { get; set; }
        public DateTimeOffset? RetryAt { get; set; }
        public Backoff Backoff { get; } = new(MountRetryInitial, MountRetryMax);
    }
}
