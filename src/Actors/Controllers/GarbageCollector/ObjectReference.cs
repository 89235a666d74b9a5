using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.GarbageCollector;

/// <summary>
/// What the garbage collector knows an object (or an owner it has only heard of) by: the
/// coordinates of an ownerReference (apiVersion, kind, name, uid) and the namespace.
/// </summary>
public sealed record ObjectReference(string ApiVersion, string Kind, string Name, string Uid, string Namespace)
{
    /// <summary>An owner as a dependent names it; <paramref name="ns"/> is the dependent's namespace.</summary>
    public static ObjectReference Of(V1OwnerReference owner, string ns) =>
        new(owner.ApiVersion ?? "", owner.Kind ?? "", owner.Name ?? "", owner.Uid ?? "", ns);

    /// <summary>True when <paramref name="owner"/> names this object by all its coordinates (ownerReferenceMatchesCoordinates).</summary>
    public bool MatchesCoordinates(V1OwnerReference owner) =>
        owner.Uid == Uid && owner.Name == Name && owner.Kind == Kind && owner.ApiVersion == ApiVersion;

    /// <summary>As the garbage collector prints it in logs and events.</summary>
    public override string ToString() => $"[{ApiVersion}/{Kind}, namespace: {Namespace}, name: {Name}, uid: {Uid}]";
}
