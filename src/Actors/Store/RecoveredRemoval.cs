using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// The change a journaled removal stood for, rebuilt during recovery for the watch window. The
/// journal keeps only the removal's resourceVersion, so the DELETED event carries the object's
/// last stored state stamped with it (the live store sends the state of the removing write, which
/// differs only when that write also changed the object, e.g. dropped its last finalizer).
/// </summary>
public static class RecoveredRemoval
{
    public static Change Of(ObjectRemoved removal, StoredObject removed)
    {
        var last = removed.ToJsonObject();
        KubeObject.Metadata(last)["resourceVersion"] = removal.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Change(removal.ResourceVersion, removal.Resource, removed, null, new RawJson(KubeObject.ToBytes(last)));
    }
}
