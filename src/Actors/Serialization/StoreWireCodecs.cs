using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Serialization;

// The binary forms of the Store's hot wire messages: the kubelets' writes and the Store's answers and
// watch batches to them, each mostly one pod's JSON (see IWireCodec). Field order is the format.

internal sealed class CreateObjectCodec : WireCodec<CreateObject>
{
    protected override void Write(CreateObject m, WireWriter w)
    {
        w.String(m.Resource);
        w.Json(m.Object);
        w.Bool(m.DryRun);
    }

    protected override CreateObject Read(ref WireReader r) => new(r.String()!, r.Json(), r.Bool());
}

internal sealed class UpdateObjectCodec : WireCodec<UpdateObject>
{
    protected override void Write(UpdateObject m, WireWriter w)
    {
        w.String(m.Resource);
        w.Json(m.Object);
        w.String(m.Subresource);
        w.Bool(m.DryRun);
    }

    protected override UpdateObject Read(ref WireReader r) => new(r.String()!, r.Json(), r.String(), r.Bool());
}

internal sealed class StoreObjectCodec : WireCodec<StoreObject>
{
    protected override void Write(StoreObject m, WireWriter w)
    {
        w.Json(m.Object);
        w.Bool(m.Removed);
    }

    protected override StoreObject Read(ref WireReader r) => new(r.Json(), r.Bool());
}

internal sealed class WatchEventsCodec : WireCodec<WatchEvents>
{
    protected override void Write(WatchEvents m, WireWriter w)
    {
        w.String(m.WatchId);
        w.Int(m.Events.Count);
        foreach (var e in m.Events)
        {
            w.String(e.Type);
            w.Json(e.Object);
        }
    }

    protected override WatchEvents Read(ref WireReader r)
    {
        var id = r.String()!;
        var count = r.Int();
        if (count < 0) throw new System.Runtime.Serialization.SerializationException("malformed wire message: a negative count");
        var events = new List<WatchEvent>(Math.Min(count, 4096));
        for (var i = 0; i < count; i++) events.Add(new WatchEvent(r.String()!, r.Json()));
        return new WatchEvents(id, events);
    }
}
