using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.ReplicaSet;

/// <summary>A status condition of a ReplicaSet or ReplicationController (the two types have the same fields).</summary>
public sealed record ReplicaCondition(string Type, string Status, string? Reason, string? Message, DateTime? LastTransitionTime);

/// <summary>The status both kinds share; zero counts are left out of the object, as Go's omitempty does.</summary>
public sealed record ReplicaStatus(
    int Replicas,
    int FullyLabeledReplicas,
    int ReadyReplicas,
    int AvailableReplicas,
    long ObservedGeneration,
    IReadOnlyList<ReplicaCondition> Conditions)
{
    public bool Equivalent(ReplicaStatus other) =>
        Replicas == other.Replicas && FullyLabeledReplicas == other.FullyLabeledReplicas && ReadyReplicas == other.ReadyReplicas
        && AvailableReplicas == other.AvailableReplicas && ObservedGeneration == other.ObservedGeneration
        && Conditions.SequenceEqual(other.Conditions);
}

/// <summary>
/// What the replica controller needs of its owner type: Kubernetes runs one ReplicaSetController
/// implementation for ReplicaSets and, through conversion, for ReplicationControllers; here an
/// adapter per type reads the spec and writes the status.
/// </summary>
public interface IReplicaOwner<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The kind in ownerReferences and in the controller's checks ("ReplicaSet").</summary>
    string Kind { get; }

    /// <summary>The apiVersion in ownerReferences ("apps/v1").</summary>
    string ApiVersion { get; }

    /// <summary>The controller's name: its event source and field manager ("replicaset-controller").</summary>
    string ControllerName { get; }

    /// <summary>The pods the owner selects; null selects nothing. Throws <see cref="FormatException"/> for a selector that does not parse.</summary>
    LabelSelector? Selector(T owner);

    V1PodTemplateSpec? Template(T owner);

    /// <summary>spec.replicas (1 when unset, as defaulting makes it).</summary>
    int Replicas(T owner);

    int MinReadySeconds(T owner);

    ReplicaStatus Status(T owner);

    /// <summary>A copy of <paramref name="owner"/> with <paramref name="status"/>.</summary>
    T WithStatus(T owner, ReplicaStatus status);
}

/// <summary>apps/v1 ReplicaSet.</summary>
public sealed class ReplicaSetOwner : IReplicaOwner<V1ReplicaSet>
{
    public static readonly ReplicaSetOwner Instance = new();

    public string Kind => "ReplicaSet";

    public string ApiVersion => "apps/v1";

    public string ControllerName => "replicaset-controller";

    public LabelSelector? Selector(V1ReplicaSet owner) => LabelSelectors.FromModel(owner.Spec?.Selector);

    public V1PodTemplateSpec? Template(V1ReplicaSet owner) => owner.Spec?.Template;

    public int Replicas(V1ReplicaSet owner) => owner.Spec?.Replicas ?? 1;

    public int MinReadySeconds(V1ReplicaSet owner) => owner.Spec?.MinReadySeconds ?? 0;

    public ReplicaStatus Status(V1ReplicaSet owner)
    {
        var s = owner.Status;
        return new ReplicaStatus(s?.Replicas ?? 0, s?.FullyLabeledReplicas ?? 0, s?.ReadyReplicas ?? 0, s?.AvailableReplicas ?? 0,
            s?.ObservedGeneration ?? 0,
            s?.Conditions?.Select(c => new ReplicaCondition(c.Type, c.Status, c.Reason, c.Message, c.LastTransitionTime)).ToArray() ?? []);
    }

    public V1ReplicaSet WithStatus(V1ReplicaSet owner, ReplicaStatus status)
    {
        var copy = KubeModels.Clone(owner);
        copy.Status = new V1ReplicaSetStatus
        {
            Replicas = status.Replicas,
            FullyLabeledReplicas = OmitZero(status.FullyLabeledReplicas),
            ReadyReplicas = OmitZero(status.ReadyReplicas),
            AvailableReplicas = OmitZero(status.AvailableReplicas),
            ObservedGeneration = status.ObservedGeneration == 0 ? null : status.ObservedGeneration,
            Conditions = status.Conditions.Count == 0
                ? null
                : status.Conditions.Select(c => new V1ReplicaSetCondition
                {
                    Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message, LastTransitionTime = c.LastTransitionTime,
                }).ToList(),
        };
        return copy;
    }

    internal static int? OmitZero(int n) => n == 0 ? null : n;
}

/// <summary>core/v1 ReplicationController: an equality selector map.</summary>
public sealed class ReplicationControllerOwner : IReplicaOwner<V1ReplicationController>
{
    public static readonly ReplicationControllerOwner Instance = new();

    public string Kind => "ReplicationController";

    public string ApiVersion => "v1";

    /// <summary>kube-controller-manager's replication manager reports events as "replication-controller".</summary>
    public string ControllerName => "replication-controller";

    /// <summary>A missing selector selects nothing (conversion to a ReplicaSet leaves it nil); an empty one everything.</summary>
    public LabelSelector? Selector(V1ReplicationController owner) =>
        owner.Spec?.Selector is { } set ? LabelSelectors.FromSet(set) : null;

    public V1PodTemplateSpec? Template(V1ReplicationController owner) => owner.Spec?.Template;

    public int Replicas(V1ReplicationController owner) => owner.Spec?.Replicas ?? 1;

    public int MinReadySeconds(V1ReplicationController owner) => owner.Spec?.MinReadySeconds ?? 0;

    public ReplicaStatus Status(V1ReplicationController owner)
    {
        var s = owner.Status;
        return new ReplicaStatus(s?.Replicas ?? 0, s?.FullyLabeledReplicas ?? 0, s?.ReadyReplicas ?? 0, s?.AvailableReplicas ?? 0,
            s?.ObservedGeneration ?? 0,
            s?.Conditions?.Select(c => new ReplicaCondition(c.Type, c.Status, c.Reason, c.Message, c.LastTransitionTime)).ToArray() ?? []);
    }

    public V1ReplicationController WithStatus(V1ReplicationController owner, ReplicaStatus status)
    {
        var copy = KubeModels.Clone(owner);
        copy.Status = new V1ReplicationControllerStatus
        {
            Replicas = status.Replicas,
            FullyLabeledReplicas = ReplicaSetOwner.OmitZero(status.FullyLabeledReplicas),
            ReadyReplicas = ReplicaSetOwner.OmitZero(status.ReadyReplicas),
            AvailableReplicas = ReplicaSetOwner.OmitZero(status.AvailableReplicas),
            ObservedGeneration = status.ObservedGeneration == 0 ? null : status.ObservedGeneration,
            Conditions = status.Conditions.Count == 0
                ? null
                : status.Conditions.Select(c => new V1ReplicationControllerCondition
                {
                    Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message, LastTransitionTime = c.LastTransitionTime,
                }).ToList(),
        };
        return copy;
    }
}
