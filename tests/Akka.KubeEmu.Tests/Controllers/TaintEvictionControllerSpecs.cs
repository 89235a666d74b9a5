using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.TaintEviction;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers;

public sealed class TaintEvictionControllerSpecs : StoreTestBase
{
    public TaintEvictionControllerSpecs() : base(new TempDir()) { }

    private static Akka.KubeEmu.Cluster.Serialization.RawJson Pod(string name, string tolerations) => Json($$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"default"},
         "spec":{"nodeName":"node-1","containers":[{"name":"c","image":"nginx"}],"tolerations":{{{tolerations}}}}}
        """);

    [Fact]
    public void Pods_leave_a_lost_node_when_their_toleration_runs_out_and_forever_tolerant_pods_stay()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var added = KubeObject.Timestamp(Time.GetUtcNow().AddSeconds(-29));
        Ok(store, new CreateObject("nodes", Json($$$"""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1"},
             "spec":{"taints":[{"key":"node.kubernetes.io/unreachable","effect":"NoExecute","timeAdded":"{{{added}}}"}]}}
            """)));
        Ok(store, new CreateObject("pods", Pod("intolerant", "[]")));
        Ok(store, new CreateObject("pods", Pod("thirty-seconds",
            """[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":30}]""")));
        Ok(store, new CreateObject("pods", Pod("forever", """[{"operator":"Exists"}]""")));
        Sys.ActorOf(TaintEvictionController.Props(store, Time));

        // The pods are bound, so eviction marks them Terminating (graceful), as on a real lost node.
        AwaitAssert(() => Assert.NotNull(KubeObject.ScalarAt(Ok(store, new GetObject("pods", "default", "intolerant")), "metadata.deletionTimestamp")),
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        AwaitAssert(() => Assert.NotNull(KubeObject.ScalarAt(Ok(store, new GetObject("pods", "default", "thirty-seconds")), "metadata.deletionTimestamp")),
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        Assert.Null(KubeObject.ScalarAt(Ok(store, new GetObject("pods", "default", "forever")), "metadata.deletionTimestamp"));

        AwaitAssert(() =>
        {
            store.Tell(new ListObjects("events", "default", FieldSelector: "reason=TaintManagerEviction,involvedObject.name=intolerant"), TestActor);
            var events = ExpectMsg<StoreList>();
            Assert.Equal("Marking for deletion Pod default/intolerant", KubeObject.ScalarAt(Obj(Assert.Single(events.Items)), "message"));
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
    }
}
