using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.ClusterRoleAggregation;

/// <summary>
/// pkg/controller/clusterroleaggregation: a ClusterRole with an aggregationRule gets as rules the
/// union of the rules of every other ClusterRole its selectors match, in name order, without
/// duplicates. Any cluster role change requeues every aggregated role (there are few).
/// </summary>
public sealed class ClusterRoleAggregationController : Controller
{
    private readonly Indexer<V1ClusterRole> _roles;

    public ClusterRoleAggregationController(ControllerContext context)
        : base(context, "clusterrole-aggregation-controller", workers: 1, fieldManager: "clusterrole-aggregation-controller")
    {
        var roles = Informers.For<V1ClusterRole>();
        _roles = roles.Indexer;
        Handle(roles, added: _ => EnqueueAggregated(), updated: (_, _) => EnqueueAggregated(), deleted: _ => EnqueueAggregated());
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new ClusterRoleAggregationController(context));

    private void EnqueueAggregated()
    {
        foreach (var role in _roles.List())
            if (role.AggregationRule is not null) Enqueue(role.Metadata.Name);
    }

    protected override async Task<SyncResult> Sync(string key)
    {
        var role = _roles.Get(key);
        if (role?.AggregationRule is not { } aggregation) return SyncResult.Done;
        var rules = Aggregate(role, aggregation, _roles.List());
        if (SameRules(rules, role.Rules)) return SyncResult.Done;
        var updated = KubeModels.Clone(role);
        updated.Rules = rules;
        var result = await Api.Update(updated);
        if (result.IsConflict) return SyncResult.Retry;
        _ = result.Object;
        return SyncResult.Done;
    }

    /// <summary>The rules an aggregated role should hold, given every cluster role.</summary>
    public static List<V1PolicyRule> Aggregate(V1ClusterRole role, V1AggregationRule aggregation, IEnumerable<V1ClusterRole> all)
    {
        var selectors = (aggregation.ClusterRoleSelectors ?? []).Select(LabelSelectors.FromModel).ToList();
        var rules = new List<V1PolicyRule>();
        var seen = new HashSet<string>();
        foreach (var other in all.Where(r => r.Metadata.Name != role.Metadata.Name).OrderBy(r => r.Metadata.Name, StringComparer.Ordinal))
        {
            if (!selectors.Any(s => s.Matches(other.Metadata.Labels))) continue;
            foreach (var rule in other.Rules ?? [])
                if (seen.Add(Canonical(rule))) rules.Add(rule);
        }
        return rules;
    }

    private static bool SameRules(IList<V1PolicyRule> a, IList<V1PolicyRule>? b) =>
        a.Select(Canonical).SequenceEqual((b ?? []).Select(Canonical));

    private static string Canonical(V1PolicyRule rule) => System.Text.Encoding.UTF8.GetString(KubeModels.Encode(rule));
}
