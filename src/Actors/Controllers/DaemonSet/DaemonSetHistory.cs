using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Deployment;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Controllers.History;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.DaemonSet;

/// <summary>
/// The DaemonSet's revisions (update.go: constructHistory, snapshot, dedupCurHistories,
/// cleanupHistory). Every template the DaemonSet has had is a ControllerRevision named
/// <c>&lt;ds&gt;-&lt;hash&gt;</c>, the hash being pod-template-hash's over the template and
/// status.collisionCount, labelled <c>controller-revision-hash</c>, carrying the DaemonSet's
/// annotations (so `kubectl rollout history` shows their change-cause) and, as data, the patch that
/// restores the template (what `kubectl rollout undo` sends). The current revision is the highest.
/// </summary>
public sealed class DaemonSetHistory(ApiClient api, Indexer<V1ControllerRevision> revisions)
{
    public const string Kind = "DaemonSet";
    public const string ApiVersion = "apps/v1";

    /// <summary>The revision's hash as the DaemonSet labels it (the name's suffix).</summary>
    public static string HashOf(V1ControllerRevision revision) => HashLabelOf(revision.Metadata.Labels);

    /// <summary>The controller-revision-hash label of a revision or pod ("" when missing).</summary>
    public static string HashLabelOf(IDictionary<string, string>? labels) =>
        labels?.TryGetValue(DaemonPods.HashLabel, out var hash) == true ? hash : "";

    /// <summary>Match: the revision holds the DaemonSet's current template.</summary>
    public static bool Matches(V1DaemonSet ds, V1ControllerRevision revision) =>
        CanonicalJson.Of(ControllerHistory.TemplatePatch(ds.Spec.Template), dropEmpty: true).AsSpan()
            .SequenceEqual(CanonicalJson.Of(revision.Data, dropEmpty: true));

    /// <summary>
    /// constructHistory: the current revision (created, or renumbered to the top, when the template
    /// came back) and the others. Revisions without the hash label get their name as the label.
    /// </summary>
    public async Task<(V1ControllerRevision Current, List<V1ControllerRevision> Old)> Construct(V1DaemonSet ds, LabelSelector selector,
        Func<Task<IReadOnlyList<V1Pod>>> daemonPods)
    {
        var current = new List<V1ControllerRevision>();
        var old = new List<V1ControllerRevision>();
        foreach (var revision in await Controlled(ds, selector))
        {
            var history = revision;
            if (history.Metadata.Labels?.ContainsKey(DaemonPods.HashLabel) != true)
            {
                var copy = KubeModels.Clone(history);
                copy.Metadata.Labels ??= new Dictionary<string, string>();
                copy.Metadata.Labels[DaemonPods.HashLabel] = copy.Metadata.Name;
                history = (await api.Update(copy)).Object;
            }
            (Matches(ds, history) ? current : old).Add(history);
        }

        var next = ControllerHistory.Next(old);
        if (current.Count == 0) return (await Snapshot(ds, next), old);
        var cur = await Dedup(ds, current, daemonPods);
        if ((cur.Revision ?? 0) < next) cur = await ControllerHistory.Renumber(api, cur, next);
        return (cur, old);
    }

    /// <summary>
    /// cleanupHistory: old revisions beyond revisionHistoryLimit go, oldest first, except those a
    /// live pod (terminal ones included) still carries.
    /// </summary>
    public async Task Cleanup(V1DaemonSet ds, List<V1ControllerRevision> old, IEnumerable<V1Pod> pods)
    {
        var toKill = old.Count - (ds.Spec.RevisionHistoryLimit ?? 10);
        if (toKill <= 0) return;
        var liveHashes = pods.Select(p => HashLabelOf(p.Metadata.Labels))
            .Where(h => !string.IsNullOrEmpty(h)).ToHashSet(StringComparer.Ordinal);
        foreach (var history in old.OrderBy(r => r.Revision ?? 0))
        {
            if (toKill <= 0) break;
            if (liveHashes.Contains(HashOf(history))) continue;
            var error = await api.Delete<V1ControllerRevision>(history.Metadata.NamespaceProperty ?? "", history.Metadata.Name);
            if (error is not null && error.Code != 404) throw new ApiException(error);
            toKill--;
        }
    }

    /// <summary>controlledHistories: the DaemonSet's revisions, adopting matching orphans and releasing those that stopped matching.</summary>
    private async Task<List<V1ControllerRevision>> Controlled(V1DaemonSet ds, LabelSelector selector)
    {
        var ns = ds.Metadata.NamespaceProperty ?? "";
        var candidates = revisions.ByIndex(Indexers.ControllerUid, ds.Metadata.Uid)
            .Concat(revisions.ByIndex(Indexers.ControllerUid, Indexers.Orphans(ns)));
        var refs = new ControllerRefManager<V1ControllerRevision>(api, ds, ControllerRefs.For(ds, ApiVersion, Kind), selector,
            ControllerRefs.RecheckOwner(api, ds));
        return await refs.Claim(candidates);
    }

    /// <summary>
    /// snapshot: creates the revision of the current template. A name taken by a revision of another
    /// template is a hash collision: status.collisionCount goes up (on a fresh read, unless another
    /// sync raised it already) and the sync fails, to be retried with the new count.
    /// </summary>
    private async Task<V1ControllerRevision> Snapshot(V1DaemonSet ds, long revision)
    {
        var hash = PodTemplateHash.Compute(ds.Spec.Template, ds.Status?.CollisionCount);
        var labels = ds.Spec.Template.Metadata?.Labels is { } templateLabels
            ? new Dictionary<string, string>(templateLabels)
            : new Dictionary<string, string>();
        labels[DaemonPods.HashLabel] = hash;
        var history = new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = new V1ObjectMeta
            {
                Name = ControllerHistory.RevisionName(ds.Metadata.Name, hash),
                NamespaceProperty = ds.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = ds.Metadata.Annotations is { Count: > 0 } annotations ? new Dictionary<string, string>(annotations) : null,
                OwnerReferences = [ControllerRefs.For(ds, ApiVersion, Kind)],
            },
            Data = ControllerHistory.TemplatePatch(ds.Spec.Template),
            Revision = revision,
        };
        var created = await api.Create(history);
        if (!created.IsAlreadyExists) return created.Object;

        var existing = (await api.Get<V1ControllerRevision>(history.Metadata.NamespaceProperty ?? "", history.Metadata.Name)).Object;
        if (Matches(ds, existing)) return existing;

        var fresh = (await api.Get<V1DaemonSet>(ds.Metadata.NamespaceProperty ?? "", ds.Metadata.Name)).Object;
        if (fresh.Status?.CollisionCount != ds.Status?.CollisionCount)
            throw new InvalidOperationException(
                $"found a stale collision count ({ds.Status?.CollisionCount}, expected {fresh.Status?.CollisionCount}) of DaemonSet \"{ds.Metadata.Name}\" while processing; will retry until it is updated");
        fresh.Status ??= new V1DaemonSetStatus();
        fresh.Status.CollisionCount = (fresh.Status.CollisionCount ?? 0) + 1;
        _ = (await api.UpdateStatus(fresh)).Object;
        throw new ApiException(created.Error!);
    }

    /// <summary>
    /// dedupCurHistories: several revisions with the current template (a template changed and changed
    /// back across a collision): the highest stays, pods are relabelled to its hash, the others go.
    /// </summary>
    private async Task<V1ControllerRevision> Dedup(V1DaemonSet ds, List<V1ControllerRevision> current, Func<Task<IReadOnlyList<V1Pod>>> daemonPods)
    {
        if (current.Count == 1) return current[0];
        var keep = current.OrderBy(r => r.Revision ?? 0).Last();
        var keepHash = HashOf(keep);
        foreach (var pod in await daemonPods())
        {
            if (HashLabelOf(pod.Metadata.Labels) == keepHash) continue;
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["labels"] = new JsonObject { [DaemonPods.HashLabel] = keepHash },
                },
            };
            _ = (await api.Patch<V1Pod>(pod.Metadata.NamespaceProperty ?? "", pod.Metadata.Name, PatchDispatch.MergePatch, patch.ToJsonString())).Object;
        }
        foreach (var duplicate in current.Where(r => r.Metadata.Name != keep.Metadata.Name))
        {
            var error = await api.Delete<V1ControllerRevision>(duplicate.Metadata.NamespaceProperty ?? "", duplicate.Metadata.Name);
            if (error is not null && error.Code != 404) throw new ApiException(error);
        }
        return keep;
    }
}
