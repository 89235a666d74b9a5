using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Patch;
using Akka.KubeEmu.Actors.Api.Rest;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Patch;

public sealed class StrategicMergePatchSpecs
{
    private static JsonObject J(string json) => JsonNode.Parse(json)!.AsObject();

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual.ToJsonString()}");

    [Fact]
    public void Containers_merge_by_name_and_kubectl_apply_element_order_is_kept()
    {
        var original = J("""{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.7.9","ports":[{"containerPort":80}]},{"name":"side","image":"busybox"}]}}}}""");
        var patch = J("""{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"side"}],"containers":[{"image":"nginx:1.9.1","name":"nginx"}]}}}}""");
        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Deployment));
        AssertJson("""{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.9.1","ports":[{"containerPort":80}]},{"name":"side","image":"busybox"}]}}}}""", result);
    }

    [Fact]
    public void Delete_directive_removes_one_element_and_null_removes_a_field()
    {
        var original = J("""{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}""");
        var patch = J("""{"metadata":{"labels":{"b":null}},"spec":{"containers":[{"name":"a","$patch":"delete"}]}}""");
        AssertJson("""{"metadata":{"labels":{"a":"1"}},"spec":{"containers":[{"name":"b","image":"y"}]}}""",
            StrategicMergePatch.Apply(original, patch, typeof(V1Pod)));
    }

    [Fact]
    public void Lists_without_a_merge_strategy_are_replaced_and_finalizers_are_a_set()
    {
        var original = J("""{"metadata":{"finalizers":["a"]},"spec":{"tolerations":[{"key":"x"}],"containers":[]}}""");
        var patch = J("""{"metadata":{"finalizers":["b","a"]},"spec":{"tolerations":[{"key":"y"}]}}""");
        AssertJson("""{"metadata":{"finalizers":["a","b"]},"spec":{"tolerations":[{"key":"y"}],"containers":[]}}""",
            StrategicMergePatch.Apply(original, patch, typeof(V1Pod)));
    }

    [Fact]
    public void Retain_keys_drops_what_the_new_strategy_does_not_name()
    {
        var original = J("""{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}}}}""");
        var patch = J("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}}""");
        AssertJson("""{"spec":{"strategy":{"type":"Recreate"}}}""", StrategicMergePatch.Apply(original, patch, typeof(V1Deployment)));
    }

    [Fact]
    public void A_merging_element_without_its_merge_key_is_an_error()
    {
        var error = Assert.Throws<PatchFailure>(() =>
            StrategicMergePatch.Apply(J("""{"spec":{"containers":[]}}"""), J("""{"spec":{"containers":[{"image":"nginx"}]}}"""), typeof(V1Pod)));
        Assert.Equal("map: map[image:nginx] does not contain declared merge key: name", error.Message);
    }
}
