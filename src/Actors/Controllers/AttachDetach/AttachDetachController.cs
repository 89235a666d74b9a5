using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.AttachDetach;

/// <summary>
/// pkg/controller/volume/attachdetach, with the CSI external-attacher's part folded in: a volume
/// is attached (a VolumeAttachment, attached = true) to every node where a scheduled, unfinished
/// pod mounts its claim, and detached (the attachment deleted) from nodes where none does any
/// more. A ReadWriteOnce(Pod) volume attaches to one node at a time: a pod on a second node gets
/// the reconciler's FailedAttachVolume "Multi-Attach error" event and stays in ContainerCreating
/// (its kubelet waits for the attachment) until the volume is detached from the first. Work per
/// event: the volume of the claims a pod mounts, found through indexes.
/// </summary>
public sealed class AttachDetachController : Controller
{
    public const string ControllerName = "attachdetach-controller";

    private readonly Indexer<V1Pod> _pods;
    private readonly Indexer<V1PersistentVolumeClaim> _claims;
    private readonly Indexer<V1PersistentVolume> _volumes;
    private readonly Indexer<V1VolumeAttachment> _attachments;

    public AttachDetachController(ControllerContext context) : base(context, ControllerName, workers: 1)
    {
        var pods = Informers.For<V1Pod>();
        var claims = Informers.For<V1PersistentVolumeClaim>();
        var volumes = Informers.For<V1PersistentVolume>();
        var attachments = Informers.For<V1VolumeAttachment>();
        pods.Indexer.AddIndexer(VolumeIndexes.PodsByClaim, VolumeIndexes.ByClaimOfPod);
        attachments.Indexer.AddIndexer(VolumeAttachments.ByVolumeIndex, VolumeAttachments.ByVolume);
        _pods = pods.Indexer;
        _claims = claims.Indexer;
        _volumes = volumes.Indexer;
        _attachments = attachments.Indexer;
        Handle(pods, added: PodChanged, updated: (old, p) =>
        {
            if (old.Spec?.NodeName != p.Spec?.NodeName || old.Status?.Phase != p.Status?.Phase || old.Metadata.Uid != p.Metadata.Uid) PodChanged(p);
        }, deleted: PodChanged);
        Handle(claims, added: ClaimChanged, updated: (old, c) =>
        {
            if (old.Spec?.VolumeName != c.Spec?.VolumeName) ClaimChanged(c);
        });
        Handle(volumes, added: VolumeChanged, updated: (old, v) =>
        {
            if (old.Spec?.ClaimRef?.Uid != v.Spec?.ClaimRef?.Uid) VolumeChanged(v);
        }, deleted: VolumeChanged);
        Handle(attachments, deleted: AttachmentChanged, updated: (_, a) => AttachmentChanged(a));
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new AttachDetachController(context));

    private void PodChanged(V1Pod pod)
    {
        if (string.IsNullOrEmpty(pod.Spec?.NodeName)) return;
        foreach (var claim in VolumeIndexes.ClaimNames(pod))
            if (_claims.Get(KubeModels.Key(pod.Metadata.NamespaceProperty, claim))?.Spec?.VolumeName is { Length: > 0 } volume)
                Enqueue(volume);
    }

    private void ClaimChanged(V1PersistentVolumeClaim claim)
    {
        if (claim.Spec?.VolumeName is { Length: > 0 } volume) Enqueue(volume);
    }

    private void VolumeChanged(V1PersistentVolume volume) => Enqueue(volume.Metadata.Name);

    private void AttachmentChanged(V1VolumeAttachment attachment)
    {
        foreach (var volume in VolumeAttachments.ByVolume(attachment)) Enqueue(volume);
    }

    protected override async Task<SyncResult> Sync(string key)
    {
        var volume = _volumes.Get(key);
        var attached = _attachments.ByIndex(VolumeAttachments.ByVolumeIndex, key).ToList();
        var users = volume is not null && VolumeAttachments.IsAttachable(volume) ? Users(volume) : [];
        var wanted = users.Select(p => p.Spec.NodeName).ToHashSet(StringComparer.Ordinal);

        // Detach first: a node that no longer needs the volume frees it for the next.
        foreach (var attachment in attached.Where(a => !wanted.Contains(a.Spec.NodeName)).ToList())
        {
            var deleted = await Api.Delete<V1VolumeAttachment>("", attachment.Metadata.Name);
            if (deleted is not null && deleted.Code != 404) throw new Client.ApiException(deleted);
            attached.Remove(attachment);
        }
        if (volume is null || users.Count == 0) return SyncResult.Done;

        var multiAttach = VolumeAttachments.IsMultiAttachAllowed(volume);
        var attachedNodes = attached.Select(a => a.Spec.NodeName).ToHashSet(StringComparer.Ordinal);
        // The oldest pod's node first, so two pods scheduled at once always resolve the same way.
        foreach (var node in users.Select(p => p.Spec.NodeName).Distinct(StringComparer.Ordinal))
        {
            if (attachedNodes.Contains(node)) continue;
            if (!multiAttach && attachedNodes.Count > 0)
            {
                await ReportMultiAttachError(volume, node, users, attachedNodes);
                continue;
            }
            await Attach(volume, node);
            attachedNodes.Add(node);
        }
        return SyncResult.Done;
    }

    /// <summary>The pods the desired state of the world holds for the volume: scheduled, not finished, oldest first.</summary>
    private List<V1Pod> Users(V1PersistentVolume volume)
    {
        if (volume.Spec?.ClaimRef is not { Name.Length: > 0 } claim) return [];
        var bound = _claims.Get(KubeModels.Key(claim.NamespaceProperty, claim.Name));
        if (bound is null || bound.Spec?.VolumeName != volume.Metadata.Name) return [];
        return _pods.ByIndex(VolumeIndexes.PodsByClaim, KubeModels.Key(bound))
            .Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName) && p.Status?.Phase is not ("Succeeded" or "Failed"))
            .OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .ToList();
    }

    private async Task Attach(V1PersistentVolume volume, string node)
    {
        var name = VolumeAttachments.Name(volume.Metadata.Name, node);
        var created = await Api.Create(new V1VolumeAttachment
        {
            ApiVersion = "storage.k8s.io/v1",
            Kind = "VolumeAttachment",
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1VolumeAttachmentSpec
            {
                Attacher = VolumeAttachments.Attacher,
                NodeName = node,
                Source = new V1VolumeAttachmentSource { PersistentVolumeName = volume.Metadata.Name },
            },
        });
        var attachment = created.IsAlreadyExists ? (await Api.Get<V1VolumeAttachment>("", name)).Object : created.Object;
        if (attachment.Status?.Attached == true) return;
        attachment.Status = new V1VolumeAttachmentStatus { Attached = true };
        _ = (await Api.UpdateStatus(attachment)).Object;
    }

    /// <summary>reportMultiAttachError: each waiting pod is told which pods of its namespace hold the volume (others only counted).</summary>
    private async Task ReportMultiAttachError(V1PersistentVolume volume, string node, List<V1Pod> users, HashSet<string> attachedNodes)
    {
        var holders = users.Where(p => attachedNodes.Contains(p.Spec.NodeName)).ToList();
        foreach (var waiting in users.Where(p => p.Spec.NodeName == node))
        {
            string message;
            if (holders.Count == 0) message = "Volume is already exclusively attached to one node and can't be attached to another";
            else
            {
                var local = holders.Where(p => p.Metadata.NamespaceProperty == waiting.Metadata.NamespaceProperty).Select(p => p.Metadata.Name).ToList();
                var others = holders.Count - local.Count;
                message = local.Count > 0
                    ? $"Volume is already used by pod(s) {string.Join(", ", local)}" + (others > 0 ? $" and {others} pod(s) in different namespaces" : "")
                    : $"Volume is already used by {others} pod(s) in different namespaces";
            }
            await Recorder.Event(waiting, EventRecorder.Warning, "FailedAttachVolume", $"Multi-Attach error for volume \"{volume.Metadata.Name}\" {message}");
        }
    }
}
