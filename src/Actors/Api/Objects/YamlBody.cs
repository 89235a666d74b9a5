using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Akka.KubeEmu.Actors.Api.Objects;

/// <summary>
/// YAML request bodies to JSON, resolving plain scalars with the YAML 1.2 core schema as
/// sigs.k8s.io/yaml does (true/false/null/numbers; quoted scalars stay strings).
/// </summary>
public static class YamlBody
{
    public static (JsonObject? Object, ApiStatus? Error) ToJson(byte[] body)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(Encoding.UTF8.GetString(body)));
            if (stream.Documents.Count == 0) return (null, ApiStatus.BadRequest("the body of the request was empty"));
            return Convert(stream.Documents[0].RootNode) is JsonObject o
                ? (o, null)
                : (null, ApiStatus.BadRequest("the body of the request must be an object"));
        }
        catch (YamlException e)
        {
            return (null, ApiStatus.BadRequest($"error converting YAML to JSON: yaml: line {e.Start.Line}: {e.Message}"));
        }
    }

    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            new KeyValuePair<string, JsonNode?>(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var v = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return JsonValue.Create(v);
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && v.Any(char.IsDigit))
            return JsonValue.Create(d);
        return JsonValue.Create(v);
    }
}
