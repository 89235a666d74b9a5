using System.Text;
using Akka.KubeEmu.Actors.Api.Schema;
using Xunit;

namespace Akka.KubeEmu.Tests.Validation;

public sealed class DuplicateFieldsSpecs
{
    private static IReadOnlyList<string> Find(string json) => DuplicateFields.Find(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Paths_are_spelled_as_the_apiservers_strict_decoder_spells_them_in_document_order()
    {
        const string deployment = """
            {"metadata":{"name":"a","labels":{"x":"1"},"name":"b"},
             "spec":{"paused":true,"template":{"spec":{"containers":[
               {"name":"c","image":"nginx"},
               {"name":"d","imagePullPolicy":"Always","args":[["x"],{"k":1,"k":2}],"imagePullPolicy":"Never"}]}},"paused":false}}
            """;
        Assert.Equal(["metadata.name", "spec.template.spec.containers[1].args[1].k", "spec.template.spec.containers[1].imagePullPolicy", "spec.paused"],
            Find(deployment));
    }

    [Fact]
    public void The_same_name_in_different_objects_or_list_items_is_no_duplicate()
    {
        Assert.Empty(Find("""{"a":{"name":1},"b":{"name":2},"items":[{"name":1},{"name":2}],"name":3}"""));
        Assert.Empty(Find("not json"));
    }

    [Fact]
    public void The_last_value_of_a_field_named_twice_is_the_one_read()
    {
        var node = DuplicateFields.ParseLastWins(Encoding.UTF8.GetBytes("""{"a":{"b":1},"a":{"c":[1,{"d":"x","d":"y"}]},"n":null}"""))!;
        Assert.Equal("""{"a":{"c":[1,{"d":"y"}]},"n":null}""", node.ToJsonString());
    }
}
