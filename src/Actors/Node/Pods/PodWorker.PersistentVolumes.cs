using Akka.Actor;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Flowcontrol;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Volumes;

namespace Akka.KubeEmu.Actors.Node.Pods;

// The volume manager's part for the volumes whose data outlives the pod (persistentVolumeClaim,
// hostPath): the claim is followed to its volume and the volume's folder read into a tree off the
// actor's thread, before the sandbox; a failure is a FailedMount event, retried with back-off.
// The trees are the node process's (VolumeStore), released when the worker ends.
public sealed partial class PodWorker
{
    private PersistentMount[]? _persistent;

    /// <summary>True once every persistent volume is mounted (at once when this process keeps volumes in memory).</summary>
    private bool MountPersistentVolumes(DateTimeOffset now)
    {
        if (_node.Volumes.Settings is null) return true;
        _persistent ??= _pod.Volumes.Where(v => v.IsPersistent).Select(v => new PersistentMount(v)).ToArray();
        var all = true;
        foreach (var m in _persistent)
        {
            if (m.Tree is not null) continue;
            all = false;
            if (!m.InFlight && !(m.RetryAt > now)) StartPersistentMount(m);
        }
        return all;
    }

    private void StartPersistentMount(PersistentMount m)
    {
        m.InFlight = true;
        m.RetryAt = null;
        var (api, store, node, ns, model) = (_node.Api, _node.Volumes, _node.NodeName, _pod.Namespace, m.Model);
        Task.Run(async () =>
        {
            var location = await VolumeLocator.Locate(api, store.Settings!, node, ns, model).ConfigureAwait(false);
            if (location.Unattached) return new PersistentVolumeMounted(model.Name, null, null, null, Unattached: true);
            if (location.Folder is not { } folder) return new PersistentVolumeMounted(model.Name, null, null, location.Error);
            return new PersistentVolumeMounted(model.Name, folder, await store.Acquire(folder).ConfigureAwait(false), null);
        }).PipeTo(Self, failure: e => new PersistentVolumeMounted(model.Name, null, null, e.GetBaseException().Message));
    }

    private void OnPersistentVolumeMounted(PersistentVolumeMounted mounted)
    {
        var m = _persistent?.FirstOrDefault(p => p.Model.Name == mounted.Volume);
        if (m is null || m.Tree is not null || _pod.Deleting || _terminalPhase is not null || _rejection is not null)
        {
            if (mounted.Folder is { } unused) _node.Volumes.Release(unused); // nobody will use it
            if (m is not null) m.InFlight = false;
            return;
        }
        m.InFlight = false;
        if (mounted.Unattached)
        {
            WaitForAttach(m, Now);
            return;
        }
        m.WaitingSince = null;
        if (mounted.Tree is null)
        {
            var now = Now;
            var unmounted = "[" + string.Join(' ', _persistent!.Where(p => p.Tree is null).Select(p => p.Model.Name).Order(StringComparer.Ordinal)) + "]";
            Event(EventRecorder.Warning, "FailedMount",
                $"Unable to attach or mount volumes: unmounted volumes={unmounted}, unattached volumes={unmounted}, failed to process volumes={unmounted}: {mounted.Error}");
            m.RetryAt = now + m.Backoff.NextDelay(now);
            return;
        }
        m.Tree = mounted.Tree;
        m.Folder = mounted.Folder;
        _volumes ??= new Dictionary<string, FileTree>(StringComparer.Ordinal);
        _volumes[m.Model.Name] = mounted.Tree;
    }

    /// <summary>
    /// Polled soon and then every 2 s (the attachment usually exists a moment after the pod is
    /// bound); past WaitForAttachAndMount's 2 min 3 s the kubelet reports the wait, and keeps waiting.
    /// </summary>
    private void WaitForAttach(PersistentMount m, DateTimeOffset now)
    {
        m.WaitingSince ??= now;
        if (now - m.WaitingSince >= AttachTimeout)
        {
            m.WaitingSince = now;
            var unmounted = "[" + string.Join(' ', _persistent!.Where(p => p.Tree is null).Select(p => p.Model.Name).Order(StringComparer.Ordinal)) + "]";
            Event(EventRecorder.Warning, "FailedMount",
                $"Unable to attach or mount volumes: unmounted volumes={unmounted}, unattached volumes={unmounted}, failed to process volumes=[]: timed out waiting for the condition");
        }
        m.RetryAt = now + m.AttachPoll.NextDelay(now);
    }

    /// <summary>The earliest retry of a persistent volume's mount.</summary>
    private DateTimeOffset? PersistentVolumeDue()
    {
        DateTimeOffset? due = null;
        if (_persistent is null) return null;
        foreach (var m in _persistent)
            if (m.Tree is null && !m.InFlight && m.RetryAt is { } t && (due is null || t < due)) due = t;
        return due;
    }

    /// <summary>The pod's containers are gone: its volumes are unmounted (the data stays where it is).</summary>
    private void UnmountPersistentVolumes()
    {
        if (_persistent is null) return;
        foreach (var m in _persistent)
        {
            if (m.Folder is { } folder) _node.Volumes.Release(folder);
            m.Folder = null;
        }
    }

    private sealed class PersistentMount(VolumeModel model)
    {
        public VolumeModel Model { get; } = model;
        public FileTree? Tree { get; set; }
        public string? Folder { get; set; }
        public bool InFlight { get; set; }
        public DateTimeOffset? RetryAt { get; set; }
        public Backoff Backoff { get; } = new(MountRetryInitial, MountRetryMax);
        public Backoff AttachPoll { get; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));
        public DateTimeOffset? WaitingSince { get; set; }
    }

    /// <summary>WaitForAttachAndMount's timeout (podAttachAndMountTimeout).</summary>
    private static readonly TimeSpan AttachTimeout = TimeSpan.FromSeconds(123);

    /// <summary>A mount finished, off the actor's thread: the tree, or why not.</summary>
    private sealed record PersistentVolumeMounted(string Volume, string? Folder, FileTree? Tree, string? Error, bool Unattached = false);
}
