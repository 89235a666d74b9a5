using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// One committed change of one object. <see cref="New"/> is null for a removal, whose watch
/// event carries <see cref="Removed"/>: the last state stamped with the removal's resourceVersion.
/// </summary>
public sealed record Change(long ResourceVersion, string Resource, StoredObject? Old, StoredObject? New, RawJson? Removed)
{
    /// <summary>The event a watcher sees, or null if the change does not concern it.</summary>
    public WatchEvent? For(Watcher w)
    {
        var oldMatch = w.Matches(Old);
        if (New is null) return oldMatch ? new WatchEvent("DELETED", Removed!) : null;
        var newMatch = w.Matches(New);
        return (oldMatch, newMatch) switch
        {
            (true, true) => new WatchEvent("MODIFIED", New.Json),
            (false, true) => new WatchEvent("ADDED", New.Json),
            (true, false) => new WatchEvent("DELETED", New.Json),
            _ => null,
        };
    }
}
