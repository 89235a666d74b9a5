using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.CustomResources;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Validation;
using Xunit;

namespace Akka.KubeEmu.Tests.CustomResources;

/// <summary>
/// x-kubernetes-validations (CEL) rules of a CRD's schema, as kube-apiserver v1.32 evaluates them on a
/// custom object's create and update, and compiles them when the CRD is written. The expected texts are
/// the causes of the 422 Invalid Status a client sees.
/// </summary>
public sealed class ValidationRuleSpecs
{
    // spec: {replicas, minReplicas, maxReplicas, name, tags (list), labels (map), a, b}; @@ holds spec's extra schema keys.
    private static JsonObject Crd(string specRules, string rootRules = "", string nameRules = "", string tagsRules = "") => JsonNode.Parse("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.cel.kubeemu.test"},
         "spec":{"group":"cel.kubeemu.test","scope":"Namespaced","names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"@@root@@,"properties":{
            "spec":{"type":"object"@@spec@@,"properties":{
              "replicas":{"type":"integer"},"minReplicas":{"type":"integer"},"maxReplicas":{"type":"integer"},
              "a":{"type":"integer"},"b":{"type":"integer"},"ratio":{"type":"number"},
              "name":{"type":"string"@@name@@},
              "tags":{"type":"array","items":{"type":"string"}@@tags@@},
              "labels":{"type":"object","additionalProperties":{"type":"string"}}}}}}}}]}}
        """.Replace("@@root@@", Rules(rootRules)).Replace("@@spec@@", Rules(specRules)).Replace("@@name@@", Rules(nameRules)).Replace("@@tags@@", Rules(tagsRules)))!.AsObject();

    private static string Rules(string rules) => rules.Length == 0 ? "" : $",\"x-kubernetes-validations\":[{rules}]";

    private static JsonObject Widget(string spec, string name = "w") =>
        JsonNode.Parse($$"""{"apiVersion":"cel.kubeemu.test/v1","kind":"Widget","metadata":{"name":"{{name}}","namespace":"default"},"spec":{{spec}}}""")!.AsObject();

    private static ResourceType Type(JsonObject crd)
    {
        Assert.Empty(CrdErrors(crd));
        CustomResourceDefinitionStatus.Accept(crd, DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        return Assert.Single(CustomResourceTypes.Of(crd));
    }

    private static string[] CrdErrors(JsonObject crd) =>
        ObjectValidator.ValidateCreate(ResourceCatalog.CustomResourceDefinitions, crd).Select(e => e.ToString()).ToArray();

    private static string[] Create(JsonObject crd, JsonObject obj) =>
        CustomResourceStrategy.ValidateCreate(Type(crd), obj).Select(e => e.ToString()).ToArray();

    private static string[] Update(JsonObject crd, JsonObject obj, JsonObject old) =>
        CustomResourceStrategy.ValidateUpdate(Type(crd), obj, old).Select(e => e.ToString()).ToArray();

    public static TheoryData<string, string, string, string, string> CreateCases => new()
    {
        // name, where the rules are ("spec", "root", "name", "tags"), rules, the object's spec, the expected error ("" for none)
        { "a passing rule", "spec", """{"rule":"self.minReplicas <= self.replicas"}""", """{"minReplicas":1,"replicas":2}""", "" },
        { "a false rule with its message", "spec", """{"rule":"self.minReplicas <= self.replicas","message":"replicas should be greater than or equal to minReplicas"}""",
            """{"minReplicas":3,"replicas":2}""", "spec: Invalid value: \"object\": replicas should be greater than or equal to minReplicas" },
        { "a false rule without message", "spec", """{"rule":"self.minReplicas <= self.replicas"}""",
            """{"minReplicas":3,"replicas":2}""", "spec: Invalid value: \"object\": failed rule: self.minReplicas <= self.replicas" },
        { "has() on an absent field", "spec", """{"rule":"has(self.name)","message":"name is required"}""", """{"replicas":1}""", "spec: Invalid value: \"object\": name is required" },
        { "has() on a present field", "spec", """{"rule":"has(self.name)"}""", """{"name":"x"}""", "" },
        { "all() over a map's keys", "spec", """{"rule":"self.labels.all(k, k.startsWith('app'))","message":"label keys start with app"}""",
            """{"labels":{"app":"x","tier":"y"}}""", "spec: Invalid value: \"object\": label keys start with app" },
        { "exists() over a list", "tags", """{"rule":"self.exists(t, t == 'prod')"}""", """{"tags":["dev"]}""", "spec.tags: Invalid value: \"array\": failed rule: self.exists(t, t == 'prod')" },
        { "size() of a list", "tags", """{"rule":"size(self) <= 2","message":"at most 2 tags"}""", """{"tags":["a","b","c"]}""", "spec.tags: Invalid value: \"array\": at most 2 tags" },
        { "matches() on a string", "name", """{"rule":"self.matches('^[a-z]+$')"}""", """{"name":"Bad1"}""", "spec.name: Invalid value: \"string\": failed rule: self.matches('^[a-z]+$')" },
        { "the strings library", "name", """{"rule":"self.lowerAscii() == self && self.split('-').size() == 2"}""", """{"name":"front-end"}""", "" },
        { "the lists library", "tags", """{"rule":"self.isSorted()","message":"tags are sorted"}""", """{"tags":["b","a"]}""", "spec.tags: Invalid value: \"array\": tags are sorted" },
        { "a number field is a double", "spec", """{"rule":"self.ratio < 0.5"}""", """{"ratio":1}""", "spec: Invalid value: \"object\": failed rule: self.ratio < 0.5" },
        { "reason FieldValueForbidden", "spec", """{"rule":"!has(self.a)","message":"a is not allowed","reason":"FieldValueForbidden"}""", """{"a":1}""", "spec: Forbidden: a is not allowed" },
        { "reason FieldValueRequired", "spec", """{"rule":"has(self.a)","message":"a is needed","reason":"FieldValueRequired"}""", """{}""", "spec: Required value: a is needed" },
        { "reason FieldValueDuplicate", "spec", """{"rule":"has(self.a)","reason":"FieldValueDuplicate"}""", """{}""", "spec: Duplicate value: \"object\"" },
        { "fieldPath names the field", "spec", """{"rule":"self.replicas <= self.maxReplicas","message":"too many","fieldPath":".replicas"}""",
            """{"replicas":5,"maxReplicas":3}""", "spec.replicas: Invalid value: \"object\": too many" },
        { "messageExpression", "spec", """{"rule":"self.replicas <= 3","messageExpression":"'replicas is ' + string(self.replicas) + ', at most 3'"}""",
            """{"replicas":5}""", "spec: Invalid value: \"object\": replicas is 5, at most 3" },
        { "a messageExpression that fails falls back to the message", "spec", """{"rule":"self.replicas <= 3","message":"at most 3","messageExpression":"string(self.a / 0)"}""",
            """{"replicas":5,"a":1}""", "spec: Invalid value: \"object\": at most 3" },
        { "a runtime error", "spec", """{"rule":"self.a / self.b > 0"}""", """{"a":1,"b":0}""", "spec: Invalid value: \"object\": division by zero evaluating rule: self.a / self.b > 0" },
        { "an absent field read without has()", "spec", """{"rule":"self.a > 0"}""", """{"b":1}""", "spec: Invalid value: \"object\": no such key: a evaluating rule: self.a > 0" },
        { "a rule at the root reads metadata.name", "root", """{"rule":"self.metadata.name.startsWith('w-')","message":"names start with w-"}""", """{}""",
            "<nil>: Invalid value: \"object\": names start with w-" },
        { "a transition rule does not run on create", "name", """{"rule":"self == oldSelf","message":"immutable"}""", """{"name":"x"}""", "" },
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void A_rule_is_evaluated_on_create(string name, string where, string rules, string spec, string expected)
    {
        _ = name;
        var crd = where switch
        {
            "root" => Crd("", rootRules: rules),
            "name" => Crd("", nameRules: rules),
            "tags" => Crd("", tagsRules: rules),
            _ => Crd(rules),
        };
        var errors = Create(crd, Widget(spec));
        if (expected.Length == 0) Assert.Empty(errors);
        else Assert.Equal([expected], errors);
    }

    [Fact]
    public void A_transition_rule_compares_with_the_old_value_on_update()
    {
        var crd = Crd("", nameRules: """{"rule":"self == oldSelf","message":"Value is immutable"}""");
        Assert.Empty(Update(crd, Widget("""{"name":"x","replicas":2}"""), Widget("""{"name":"x","replicas":1}""")));
        Assert.Equal(["spec.name: Invalid value: \"string\": Value is immutable"], Update(crd, Widget("""{"name":"y"}"""), Widget("""{"name":"x"}""")));
        // No old value to correlate: the rule does not run.
        Assert.Empty(Update(crd, Widget("""{"name":"y"}"""), Widget("""{}""")));
    }

    [Fact]
    public void An_update_that_leaves_an_invalid_value_unchanged_passes_its_rules()
    {
        var crd = Crd("", nameRules: """{"rule":"self.size() <= 3"}""");
        var old = Widget("""{"name":"toolong","replicas":1}""");
        Assert.Empty(Update(crd, Widget("""{"name":"toolong","replicas":2}"""), old));
        Assert.Equal(["spec.name: Invalid value: \"string\": failed rule: self.size() <= 3"], Update(crd, Widget("""{"name":"longer"}"""), old));
    }

    [Fact]
    public void A_schema_error_that_blocks_the_rules_is_reported_in_their_place()
    {
        var crd = Crd("""{"rule":"self.replicas > 100"}""");
        Assert.Equal([
            "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
            "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
        ], Create(crd, Widget("""{"replicas":"many"}""")));
    }

    public static TheoryData<string, string> CompileCases => new()
    {
        { """{"rule":"self.replicas >"}""",
            "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:\"self.replicas >\", Message:\"\", MessageExpression:\"\", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:\"\", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:16: Syntax error: " },
        { """{"rule":"foo(self.replicas)"}""",
            "compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo(self.replicas)\n | ^" },
        { """{"rule":"self.replicas > limit"}""", "compilation failed: ERROR: <input>:1:17: undeclared reference to 'limit' (in container '')" },
        { """{"rule":"self.maxReplica > 1"}""", "compilation failed: ERROR: <input>:1:5: undefined field 'maxReplica'" },
        { """{"rule":"has(self.a)","messageExpression":"'a' + bogus"}""",
            "x-kubernetes-validations[0].messageExpression: Invalid value: apiextensions.ValidationRule{Rule:\"has(self.a)\", Message:\"\", MessageExpression:\"'a' + bogus\"" },
        { """{"rule":"has(self.a)","reason":"Nope"}""",
            "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].reason: Unsupported value: \"Nope\": supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\"" },
        { """{"rule":" "}""", "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Required value: rule is not specified" },
    };

    [Theory]
    [MemberData(nameof(CompileCases))]
    public void A_rule_that_does_not_compile_refuses_the_definition(string rules, string expected)
    {
        var errors = CrdErrors(Crd(rules));
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Rules_may_use_the_fields_the_root_always_has_and_the_variables_of_macros()
    {
        Assert.Empty(CrdErrors(Crd("""{"rule":"self.labels.all(k, self.labels[k] != '') && self.tags.exists(t, t == 'x') || true"}""",
            rootRules: """{"rule":"self.metadata.name != '' && self.kind == 'Widget' && has(self.spec)"}""")));
    }
}
