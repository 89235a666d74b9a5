using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// A write the store has decided on but not yet committed: either the object's next state
/// (<see cref="New"/>) or its removal. <see cref="Unchanged"/> marks a no-op update, which,
/// as in kube-apiserver, is answered without a new resourceVersion or a write.
/// </summary>
public sealed record Planned(string Resource, StoredObject? Old, StoredObject? New, RawJson Reply, bool Unchanged = false)
{
    public bool IsRemoval => New is null;
}

/// <summary>Either a plan or the API error that refuses it.</summary>
public readonly record struct PlanResult(Planned? Plan, ApiStatus? Error)
{
    public static implicit operator PlanResult(Planned plan) => new(plan, null);
    public static implicit operator PlanResult(ApiStatus error) => new(null, error);
}
