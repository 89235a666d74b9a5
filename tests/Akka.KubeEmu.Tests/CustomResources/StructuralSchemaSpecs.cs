using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.CustomResources;
using Xunit;

namespace Akka.KubeEmu.Tests.CustomResources;

public sealed class StructuralSchemaSpecs
{
    private static readonly JsonObject Schema = JsonNode.Parse("""
        {"type":"object","properties":{
          "spec":{"type":"object","required":["cronSpec"],"properties":{
            "cronSpec":{"type":"string","pattern":"^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$"},
            "replicas":{"type":"integer","minimum":1,"maximum":10,"default":1},
            "mode":{"type":"string","enum":["Fast","Slow"],"default":"Slow"},
            "name":{"type":"string","minLength":2,"maxLength":5},
            "port":{"x-kubernetes-int-or-string":true},
            "tags":{"type":"array","maxItems":2,"items":{"type":"string"}},
            "labels":{"type":"object","additionalProperties":{"type":"string"}},
            "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
            "note":{"type":"string","nullable":true}}},
          "status":{"type":"object","properties":{"ready":{"type":"boolean"}}}}}
        """)!.AsObject();

    private static JsonObject Obj(string spec) =>
        JsonNode.Parse("""{"apiVersion":"x.kubeemu.test/v1","kind":"Thing","metadata":{"name":"a","labels":{"k":"v"}},"spec":@@0@@}""".Replace("@@0@@", spec))!.AsObject();

    private static string[] Errors(string spec) => StructuralSchema.Validate(Schema, Obj(spec)).Select(e => e.ToString()).ToArray();

    /// <summary>A spec and the errors kube-openapi's validator reports for it, in its words and order.</summary>
    private static readonly Dictionary<string, (string Spec, string[] Errors)> SchemaRows = new()
    {
        ["a valid object"] = ("""{"cronSpec":"* * * * *","port":"http","note":null}""", []),
        ["a string for an integer"] = ("""{"cronSpec":"* * * * *","replicas":"three"}""",
            ["spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""]),
        ["a number with a fraction for an integer"] = ("""{"cronSpec":"* * * * *","replicas":1.5}""",
            ["spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\""]),
        ["a boolean for an int-or-string"] = ("""{"cronSpec":"* * * * *","port":true}""",
            ["spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\""]),
        ["null for a field that is not nullable"] = ("""{"cronSpec":"* * * * *","mode":null}""",
            ["spec.mode: Invalid value: \"null\": spec.mode in body must be of type string: \"null\""]),
        ["a required field missing"] = ("{}", ["spec.cronSpec: Required value"]),
        ["pattern, maximum, enum, minLength and maxItems at once, in schema order"] = (
            """{"cronSpec":"every minute","replicas":15,"mode":"Quick","name":"a","tags":["a","b","c"]}""",
            [
                "spec.cronSpec: Invalid value: \"every minute\": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'",
                "spec.replicas: Invalid value: 15: spec.replicas in body should be less than or equal to 10",
                "spec.mode: Unsupported value: \"Quick\": supported values: \"Fast\", \"Slow\"",
                "spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long",
                "spec.tags: Too many: 3: must have at most 2 items",
            ]),
        ["minimum and maxLength"] = ("""{"cronSpec":"* * * * *","replicas":0,"name":"abcdef"}""",
            ["spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1", "spec.name: Too long: may not be more than 5 bytes"]),
        ["a map value of the wrong type"] = ("""{"cronSpec":"* * * * *","labels":{"a":1}}""",
            ["spec.labels.a: Invalid value: \"integer\": spec.labels.a in body must be of type string: \"integer\""]),
        ["an array item of the wrong type"] = ("""{"cronSpec":"* * * * *","tags":["a",2]}""",
            ["spec.tags[1]: Invalid value: \"integer\": spec.tags[1] in body must be of type string: \"integer\""]),
    };

    public static TheoryData<string> SchemaCases => new(SchemaRows.Keys);

    [Theory, MemberData(nameof(SchemaCases))]
    public void Types_required_enum_pattern_bounds_and_lengths_are_reported_as_kube_openapi_words_them(string row) =>
        Assert.Equal(SchemaRows[row].Errors, Errors(SchemaRows[row].Spec));

    [Fact]
    public void Unknown_fields_are_pruned_unless_preserved_and_metadata_is_never_pruned()
    {
        var obj = Obj("""{"cronSpec":"* * * * *","unknown":1,"extra":{"anything":{"goes":true}},"tags":["x"]}""");
        obj["other"] = "dropped";
        Assert.Equal(["spec.unknown", "other"], StructuralSchema.UnknownFields(Schema, obj));
        StructuralSchema.Prune(Schema, obj);
        Assert.Null(obj["other"]);
        Assert.Null(obj["spec"]!["unknown"]);
        Assert.True(obj["spec"]!["extra"]!["anything"]!["goes"]!.GetValue<bool>());
        Assert.Equal("v", obj["metadata"]!["labels"]!["k"]!.GetValue<string>());
        Assert.Equal("x.kubeemu.test/v1", obj["apiVersion"]!.GetValue<string>());
    }

    [Fact]
    public void Defaults_fill_missing_fields_but_never_overwrite_given_ones()
    {
        var obj = Obj("""{"cronSpec":"* * * * *","mode":"Fast"}""");
        StructuralSchema.Default(Schema, obj);
        Assert.Equal(1, obj["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("Fast", obj["spec"]!["mode"]!.GetValue<string>());
        Assert.Null(obj["status"]);
    }
}
