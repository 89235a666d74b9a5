using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Patch;
using Akka.KubeEmu.Actors.Api.Rest;
using Xunit;

namespace Akka.KubeEmu.Tests.Patch;

public sealed class JsonPatchSpecs
{
    [Fact]
    public void Rfc6902_operations_apply_in_order()
    {
        var doc = JsonNode.Parse("""{"metadata":{"labels":{"a/b":"1"}},"spec":{"list":[1,2]}}""")!;
        var ops = JsonNode.Parse("""
            [{"op":"add","path":"/spec/list/-","value":3},
             {"op":"replace","path":"/metadata/labels/a~1b","value":"2"},
             {"op":"move","from":"/spec/list/0","path":"/spec/first"},
             {"op":"copy","from":"/spec/first","path":"/spec/again"},
             {"op":"test","path":"/spec/again","value":1},
             {"op":"remove","path":"/spec/list/0"}]
            """);
        var result = JsonPatch.Apply(doc, ops);
        Assert.Equal("""{"metadata":{"labels":{"a/b":"2"}},"spec":{"list":[3],"first":1,"again":1}}""", result.ToJsonString());
    }

    [Fact]
    public void A_failed_test_or_missing_path_is_a_422()
    {
        var doc = JsonNode.Parse("""{"a":1}""")!;
        Assert.Equal(422, Assert.Throws<PatchFailure>(() => JsonPatch.Apply(doc, JsonNode.Parse("""[{"op":"test","path":"/a","value":2}]"""))).Code);
        Assert.Equal(422, Assert.Throws<PatchFailure>(() => JsonPatch.Apply(doc, JsonNode.Parse("""[{"op":"remove","path":"/b"}]"""))).Code);
    }

    [Fact]
    public void Merge_patch_follows_rfc7386()
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse("""{"a":"b","c":{"d":"e","f":"g"}}"""), JsonNode.Parse("""{"a":"z","c":{"f":null}}"""));
        Assert.Equal("""{"a":"z","c":{"d":"e"}}""", result!.ToJsonString());
    }
}
