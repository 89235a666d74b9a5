using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

public sealed class StoreSemanticsSpecs : StoreTestBase
{
    public StoreSemanticsSpecs() : base(new TempDir()) { }

    [Fact]
    public void Create_assigns_uid_timestamp_and_monotonic_resource_versions()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var a = Ok(store, new CreateObject("configmaps", ConfigMap("a")));
        var b = Ok(store, new CreateObject("configmaps", ConfigMap("b")));

        Assert.False(string.IsNullOrEmpty(KubeObject.Uid(a)));
        Assert.NotEqual(KubeObject.Uid(a), KubeObject.Uid(b));
        Assert.Equal("2026-11-22T12:00:00Z", KubeObject.ScalarAt(a, "metadata.creationTimestamp"));
        Assert.True(long.Parse(KubeObject.ResourceVersion(b)!) > long.Parse(KubeObject.ResourceVersion(a)!));
    }

    [Fact]
    public void Stale_resource_version_is_a_409_conflict()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var created = Ok(store, new CreateObject("configmaps", ConfigMap("a")));
        var staleRv = KubeObject.ResourceVersion(created);
        var updated = created.DeepClone().AsObject();
        updated["data"]!["k"] = "2";
        Ok(store, new UpdateObject("configmaps", new(KubeObject.ToBytes(updated))));

        var status = Fails(store, new UpdateObject("configmaps", new(KubeObject.ToBytes(updated))));
        Assert.Equal(409, status.Code);
        Assert.Equal("Conflict", status.Reason);
        Assert.Contains("the object has been modified", status.Message);
        Assert.NotNull(staleRv);
    }

    [Fact]
    public void Objects_in_a_missing_namespace_are_refused_with_404()
    {
        var store = StartStore();
        var status = Fails(store, new CreateObject("configmaps", ConfigMap("a", "nowhere")));
        Assert.Equal(404, status.Code);
        Assert.Equal("namespaces \"nowhere\" not found", status.Message);
    }

    [Fact]
    public void Acknowledged_objects_survive_a_store_restart_with_the_same_uid_and_resource_version()
    {
        var store = StartStore("store-1");
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var created = Ok(store, new CreateObject("configmaps", ConfigMap("a")));
        Watch(store);
        Sys.Stop(store);
        ExpectTerminated(store);

        var again = StartStore("store-2");
        var got = Ok(again, new GetObject("configmaps", "default", "a"));
        Assert.Equal(KubeObject.Uid(created), KubeObject.Uid(got));
        Assert.Equal(KubeObject.ResourceVersion(created), KubeObject.ResourceVersion(got));
        var next = Ok(again, new CreateObject("configmaps", ConfigMap("b")));
        Assert.True(long.Parse(KubeObject.ResourceVersion(next)!) > long.Parse(KubeObject.ResourceVersion(got)!));
    }
}
