using System.Globalization;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
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

    /// <summary>
    /// The answer to a dry run: nothing reaches storage (kube-apiserver's DryRunnableStorage stops short
    /// of etcd), so a created object has no resourceVersion yet and a changed or deleted one keeps the
    /// stored one; a client must not take the answer for a write it could watch from.
    /// </summary>
    public RawJson DryRunReply()
    {
        if (Unchanged) return Reply;
        var obj = KubeObject.Parse(Reply.Utf8);
        var meta = KubeObject.Metadata(obj);
        if (Old is null) meta.Remove("resourceVersion");
        else meta["resourceVersion"] = Old.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        return new RawJson(KubeObject.ToBytes(obj));
    }
}

/// <summary>Either a plan or the API error that refuses it.</summary>
public readonly record struct PlanResult(Planned? Plan, ApiStatus? Error)
{
    public static implicit operator PlanResult(Planned plan) => new(plan, null);
    public static implicit operator PlanResult(ApiStatus error) => new(null, error);
}
