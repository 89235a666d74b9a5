using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

public sealed class StoreDeletionSpecs : StoreTestBase
{
    public StoreDeletionSpecs() : base(new TempDir()) { }

    [Fact]
    public void A_bound_pod_is_deleted_gracefully_and_leaves_only_on_a_zero_grace_delete()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("pods", Json("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"nodeName":"node-1","terminationGracePeriodSeconds":30,"containers":[{"name":"c","image":"nginx"}]}}""")));

        var marked = Ok(store, new DeleteObject("pods", "default", "p"));
        Assert.Equal("2026-11-22T12:00:30Z", KubeObject.ScalarAt(marked, "metadata.deletionTimestamp"));
        Assert.Equal("30", KubeObject.ScalarAt(marked, "metadata.deletionGracePeriodSeconds"));
        Ok(store, new GetObject("pods", "default", "p"));

        Ok(store, new DeleteObject("pods", "default", "p", GracePeriodSeconds: 0));
        Assert.Equal(404, Fails(store, new GetObject("pods", "default", "p")).Code);
    }

    [Fact]
    public void A_delete_answers_whether_it_removed_the_object_or_only_marked_it()
    {
        // The API's response (the object, or a Success Status) follows this answer, never a read after
        // it: the finalizer's owner may finish the deletion before such a read.
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("configmaps", Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"held","namespace":"default","finalizers":["example.com/hold"]}}""")));
        Ok(store, new CreateObject("configmaps", ConfigMap("plain")));

        StoreObject Reply(DeleteObject delete)
        {
            store.Tell(delete, TestActor);
            return ExpectMsg<StoreObject>();
        }
        Assert.True(Reply(new DeleteObject("configmaps", "default", "plain", DryRun: true)).Removed); // would remove it, and does not
        Ok(store, new GetObject("configmaps", "default", "plain"));
        Assert.False(Reply(new DeleteObject("configmaps", "default", "held")).Removed);
        Assert.False(Reply(new DeleteObject("configmaps", "default", "held")).Removed); // again: still only marked
        var removed = Reply(new DeleteObject("configmaps", "default", "plain"));
        Assert.True(removed.Removed);
        Assert.Equal("plain", KubeObject.Name(Obj(removed.Object)));
    }

    [Fact]
    public void An_unbound_pod_is_deleted_at_once()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("pods", Json("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""")));
        Ok(store, new DeleteObject("pods", "default", "p"));
        Assert.Equal(404, Fails(store, new GetObject("pods", "default", "p")).Code);
    }

    [Fact]
    public void An_object_with_finalizers_stays_until_the_last_one_is_removed()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("configmaps", Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"f","namespace":"default","finalizers":["example.com/hold"]}}""")));

        var marked = Ok(store, new DeleteObject("configmaps", "default", "f"));
        Assert.NotNull(KubeObject.ScalarAt(marked, "metadata.deletionTimestamp"));

        KubeObject.Metadata(marked)["finalizers"] = new JsonArray();
        Ok(store, new UpdateObject("configmaps", new(KubeObject.ToBytes(marked))));
        Assert.Equal(404, Fails(store, new GetObject("configmaps", "default", "f")).Code);
    }

    [Fact]
    public void A_terminating_namespace_refuses_new_content_and_goes_once_finalized()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("dev")));
        var ns = Ok(store, new DeleteObject("namespaces", "", "dev"));
        Assert.Equal("Terminating", KubeObject.ScalarAt(ns, "status.phase"));

        var refused = Fails(store, new CreateObject("configmaps", ConfigMap("x", "dev")));
        Assert.Equal(403, refused.Code);
        Assert.Contains("unable to create new content in namespace dev because it is being terminated", refused.Message);

        KubeObject.EnsureObject(ns, "spec")["finalizers"] = new JsonArray();
        Ok(store, new UpdateObject("namespaces", new(KubeObject.ToBytes(ns)), "finalize"));
        Assert.Equal(404, Fails(store, new GetObject("namespaces", "", "dev")).Code);
    }

    [Fact]
    public void Binding_an_already_bound_pod_is_a_conflict()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var pod = Ok(store, new CreateObject("pods", Json("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""")));
        KubeObject.EnsureObject(pod, "spec")["nodeName"] = "node-1";
        var bound = Ok(store, new UpdateObject("pods", new(KubeObject.ToBytes(pod)), "binding"));
        Assert.Equal("node-1", KubeObject.ScalarAt(bound, "spec.nodeName"));

        pod["spec"]!["nodeName"] = "node-2";
        KubeObject.Metadata(pod).Remove("resourceVersion");
        var conflict = Fails(store, new UpdateObject("pods", new(KubeObject.ToBytes(pod)), "binding"));
        Assert.Equal(409, conflict.Code);
        Assert.Contains("is already assigned to node \"node-1\"", conflict.Message);
    }

    [Fact]
    public void Status_updates_keep_the_spec_and_spec_updates_keep_the_status()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var pod = Ok(store, new CreateObject("pods", Json("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"nginx"}]},"status":{"phase":"Pending"}}""")));

        var statusWrite = pod.DeepClone().AsObject();
        statusWrite["status"]!["phase"] = "Running";
        statusWrite["spec"]!["containers"]![0]!["image"] = "evil";
        var afterStatus = Ok(store, new UpdateObject("pods", new(KubeObject.ToBytes(statusWrite)), "status"));
        Assert.Equal("Running", KubeObject.ScalarAt(afterStatus, "status.phase"));
        Assert.Equal("nginx", afterStatus["spec"]!["containers"]![0]!["image"]!.GetValue<string>());

        var specWrite = afterStatus.DeepClone().AsObject();
        specWrite["status"]!["phase"] = "Failed";
        var afterSpec = Ok(store, new UpdateObject("pods", new(KubeObject.ToBytes(specWrite))));
        Assert.Equal("Running", KubeObject.ScalarAt(afterSpec, "status.phase"));
    }

    [Fact]
    public void A_no_op_update_keeps_the_resource_version()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var cm = Ok(store, new CreateObject("configmaps", ConfigMap("a")));
        var again = Ok(store, new UpdateObject("configmaps", new(KubeObject.ToBytes(cm))));
        Assert.Equal(KubeObject.ResourceVersion(cm), KubeObject.ResourceVersion(again));
    }
}
