using Akka.KubeEmu.Actors.Api.Protobuf;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Schema;
using Xunit;
using Xunit.Abstractions;

namespace Akka.KubeEmu.Tests.Protobuf;

/// <summary>
/// The generated field table against an independent source, the official client's models: every
/// model reachable from a served kind has a message, and both name the same JSON fields once
/// inlined structs are flattened.
/// </summary>
public sealed class ProtoSchemaSpecs(ITestOutputHelper output)
{
    // apiextensions.k8s.io is read as JSON only (its JSONSchemaProps wraps raw JSON in protobuf; see docs/custom-resources.md).
    private static IEnumerable<ResourceType> WithProtobuf => ResourceCatalog.All.Where(r => r.Group != "apiextensions.k8s.io");

    [Fact]
    public void Every_served_kind_has_a_protobuf_message()
    {
        foreach (var type in WithProtobuf)
            Assert.True(ProtoSchema.ForKind(type.ApiVersion, type.Kind) is not null, $"{type.ApiVersion} {type.Kind}");
    }

    [Fact]
    public void Every_field_of_a_served_message_is_a_json_field_of_the_official_model()
    {
        var mismatches = new List<string>();
        var seen = new HashSet<string>();
        var queue = new Queue<(ProtoMessage Message, Type Model)>(
            WithProtobuf.Select(r => (ProtoSchema.ForKind(r.ApiVersion, r.Kind)!, r.ModelType)));
        while (queue.TryDequeue(out var next))
        {
            var (message, model) = next;
            if (!seen.Add(message.Name)) continue;
            var modelFields = ModelTypes.Fields(model);
            foreach (var (jsonName, type) in Flattened(message))
            {
                if (!modelFields.TryGetValue(jsonName, out var property))
                {
                    mismatches.Add($"{message.Name}: {jsonName} is not a field of {model.Name}");
                    continue;
                }
                var t = Nullable.GetUnderlyingType(property.Type) ?? property.Type;
                t = ModelTypes.ElementType(t) ?? ModelTypes.MapValueType(t) ?? t;
                if (ProtoSchema.Find(type) is { IsList: false } child && ModelTypes.IsModel(t)) queue.Enqueue((child, t));
            }
        }
        output.WriteLine($"{seen.Count} messages checked");
        Assert.True(seen.Count > 150, $"only {seen.Count} messages reached");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    private static IEnumerable<(string JsonName, string Type)> Flattened(ProtoMessage message)
    {
        foreach (var field in message.Fields.Values)
        {
            if (field.JsonName is not null) yield return (field.JsonName, field.Type);
            else foreach (var inner in Flattened(ProtoSchema.Find(field.Type)!)) yield return inner;
        }
    }
}
