using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.ManagedFields;
using Xunit;

namespace Akka.KubeEmu.Tests.ManagedFields;

public sealed class FieldPathSpecs
{
    [Theory]
    [InlineData("""{"name":"nginx","containerPort":80}""", new[] { "containerPort", "name" }, """k:{"containerPort":80,"name":"nginx"}""")]
    [InlineData("""{"type":"Ready","status":"True"}""", new[] { "type" }, """k:{"type":"Ready"}""")]
    [InlineData("""{"uid":"a<b>&'\"é\u0001"}""", new[] { "uid" }, """k:{"uid":"a<b>&'\"é\u0001"}""")]
    [InlineData("""{"port":53}""", new[] { "port", "protocol" }, """k:{"port":53,"protocol":"TCP"}""")]
    [InlineData("""{"other":1}""", new[] { "name" }, """k:{}""")]
    public void A_map_list_items_key_is_written_as_the_apiserver_writes_it(string item, string[] sortedNames, string expected)
    {
        var obj = JsonNode.Parse(item)!.AsObject();
        JsonNode? Missing(string name) => name == "protocol" ? JsonValue.Create("TCP") : null;

        var written = FieldPath.Key(obj, sortedNames, Missing);

        Assert.Equal(expected, written);
    }
}
