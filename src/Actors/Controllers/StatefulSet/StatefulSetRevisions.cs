using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Controllers.History;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.StatefulSet;

/// <summary>
/// The ControllerRevisions of a set (stateful_set_utils.go's newRevision, ApplyRevision, nextRevision
/// and defaultStatefulSetControl's ListRevisions/AdoptOrphanRevisions/getStatefulSetRevisions/truncateHistory):
/// one revision per distinct pod template, the newest numbered highest; a template seen before (a
/// rollback) gets its old revision back with a new number instead of a new object.
/// </summary>
public sealed class StatefulSetRevisions(ApiClient api, Indexer<V1ControllerRevision> revisions)
{
    /// <summary>ListRevisions: the set's revisions and the orphans its selector matches, through the controller-uid index.</summary>
    public List<V1ControllerRevision> List(V1StatefulSet set, LabelSelector selector) =>
        revisions.ByIndex(Indexers.ControllerUid, set.Metadata.Uid)
            .Concat(revisions.ByIndex(Indexers.ControllerUid, Indexers.Orphans(set.Metadata.NamespaceProperty ?? ""))
                .Where(r => selector.Matches(r.Metadata.Labels)))
            .ToList();

    /// <summary>adoptOrphanRevisions: matching orphans get the set as controller (after a fresh read shows the set is still there).</summary>
    public async Task AdoptOrphans(V1StatefulSet set, LabelSelector selector)
    {
        var orphans = List(set, selector).Where(r => KubeModels.ControllerOf(r) is null).ToList();
        if (orphans.Count == 0) return;
        var manager = new ControllerRefManager<V1ControllerRevision>(api, set, ControllerRefs.For(set, "apps/v1", "StatefulSet"), selector,
            ControllerRefs.RecheckOwner(api, set));
        await manager.Claim(orphans);
    }

    /// <summary>newRevision: the set's template as a patch, labelled with the template's labels, annotated with the set's annotations.</summary>
    public static V1ControllerRevision New(V1StatefulSet set, long revision, int collisionCount)
    {
        var cr = ControllerHistory.New(set, "apps/v1", "StatefulSet", set.Spec.Template?.Metadata?.Labels,
            ControllerHistory.TemplatePatch(set.Spec.Template ?? new V1PodTemplateSpec()), revision, collisionCount);
        if (set.Metadata.Annotations is { Count: > 0 } annotations) cr.Metadata.Annotations = new Dictionary<string, string>(annotations);
        return cr;
    }

    /// <summary>ApplyRevision: the set with the revision's template.</summary>
    public static V1StatefulSet Apply(V1StatefulSet set, V1ControllerRevision revision)
    {
        var clone = KubeModels.Clone(set);
        clone.Spec.Template = ControllerHistory.TemplateOf(revision) ?? clone.Spec.Template;
        return clone;
    }

    /// <summary>
    /// getStatefulSetRevisions: the update revision (the set's template now: the newest revision if
    /// equal, an older equal one renumbered, or a new one) and the current revision (status.currentRevision,
    /// or the update revision when unknown), with the collision count to keep in the status.
    /// </summary>
    public async Task<(V1ControllerRevision Current, V1ControllerRevision Update, int CollisionCount)> Get(
        V1StatefulSet set, List<V1ControllerRevision> sorted)
    {
        var collisionCount = set.Status?.CollisionCount ?? 0;
        var update = New(set, ControllerHistory.Next(sorted), collisionCount);
        var equal = ControllerHistory.FindEqual(sorted, update);
        if (equal.Count > 0 && ControllerHistory.Equal(sorted[^1], equal[^1]))
            update = sorted[^1];
        else if (equal.Count > 0)
            update = await ControllerHistory.Renumber(api, equal[^1], update.Revision ?? 0);
        else
            (update, collisionCount) = await ControllerHistory.Create(api, set, update, collisionCount);
        var current = sorted.FirstOrDefault(r => r.Metadata.Name == set.Status?.CurrentRevision) ?? update;
        return (current, update, collisionCount);
    }

    /// <summary>
    /// truncateHistory: revisions neither current, nor update, nor worn by a pod are history; the oldest
    /// of them are deleted until revisionHistoryLimit are left.
    /// </summary>
    public async Task Truncate(V1StatefulSet set, IReadOnlyList<V1Pod> pods, List<V1ControllerRevision> sorted,
        V1ControllerRevision? current, V1ControllerRevision? update)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        if (current is not null) live.Add(current.Metadata.Name);
        if (update is not null) live.Add(update.Metadata.Name);
        foreach (var pod in pods) live.Add(StatefulSetUtils.Revision(pod));
        var history = sorted.Where(r => !live.Contains(r.Metadata.Name)).ToList();
        var limit = set.Spec?.RevisionHistoryLimit ?? 10;
        if (limit < 0 || history.Count <= limit) return;
        foreach (var old in history.Take(history.Count - limit))
        {
            var error = await api.Delete<V1ControllerRevision>(old.Metadata.NamespaceProperty ?? "", old.Metadata.Name);
            if (error is not null && error.Code != 404) throw new ApiException(error);
        }
    }
}
