using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;
using Akka.KubeEmu.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Akka.KubeEmu.Tests.Store;

public abstract class StoreTestBase : Akka.TestKit.Xunit2.TestKit
{
    protected StoreTestBase(TempDir dir) : base(TestConfigs.LocalWithStore(dir.Path), "kubeemu")
    {
        Dir = dir;
    }

    protected TempDir Dir { get; }

    // The journal's directory goes with the actor system that wrote it.
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Dir.Dispose();
    }

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    protected IActorRef StartStore(string name = "store", StoreSettings? settings = null) =>
        Sys.ActorOf(StoreActor.Props(settings ?? new StoreSettings(), Time), name);

    protected static RawJson Json(string json) => RawJson.FromString(json);

    protected static RawJson ConfigMap(string name, string ns = "default", string data = "v") =>
        Json($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"data":{"k":"{{{data}}}"}}""");

    protected static RawJson Namespace(string name) =>
        Json($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}"},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}""");

    protected static JsonObject Obj(RawJson json) => KubeObject.Parse(json.Utf8);

    protected JsonObject Ok(IActorRef store, object command)
    {
        store.Tell(command, TestActor);
        var reply = ExpectMsg<object>();
        if (reply is StoreFailure f) throw new Xunit.Sdk.XunitException($"store refused: {f.Status}");
        return Obj(((StoreObject)reply).Object);
    }

    protected Akka.KubeEmu.Actors.Api.ApiStatus Fails(IActorRef store, object command)
    {
        store.Tell(command, TestActor);
        return ExpectMsg<StoreFailure>().Status;
    }
}
