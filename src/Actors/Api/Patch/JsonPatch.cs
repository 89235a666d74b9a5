using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Rest;

namespace Akka.KubeEmu.Actors.Api.Patch;

/// <summary>
/// RFC 6902 JSON patch (application/json-patch+json) over System.Text.Json nodes: add, remove,
/// replace, move, copy, test, with RFC 6901 pointers. Hand-written: the JsonPatch packages work
/// on typed objects, not on the schemaless JSON the store keeps.
/// </summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode original, JsonNode? operations)
    {
        if (operations is not JsonArray ops)
            throw new PatchFailure(400, "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        var doc = original.DeepClone();
        foreach (var raw in ops)
        {
            var op = raw as JsonObject ?? throw new PatchFailure(400, "invalid JSON patch operation");
            var kind = op["op"]?.GetValue<string>() ?? throw new PatchFailure(400, "Unexpected kind: <nil>");
            var path = op["path"]?.GetValue<string>() ?? throw new PatchFailure(422, $"the server rejected our request due to an error in our request: missing path in {kind} operation");
            switch (kind)
            {
                case "add": doc = Add(doc, path, Value(op)); break;
                case "remove": doc = Remove(doc, path, out _); break;
                case "replace":
                    doc = Remove(doc, path, out _);
                    doc = Add(doc, path, Value(op));
                    break;
                case "move":
                    doc = Remove(doc, From(op), out var moved);
                    doc = Add(doc, path, moved);
                    break;
                case "copy": doc = Add(doc, path, Get(doc, From(op))?.DeepClone()); break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path), Value(op)))
                        throw new PatchFailure(422, $"the server rejected our request due to an error in our request: testing value {path} failed: test failed");
                    break;
                default: throw new PatchFailure(400, $"Unexpected kind: {kind}");
            }
        }
        return doc;
    }

    private static JsonNode? Value(JsonObject op) =>
        op.TryGetPropertyValue("value", out var v) ? v?.DeepClone() : throw new PatchFailure(422, "the server rejected our request due to an error in our request: missing value");

    private static string From(JsonObject op) =>
        op["from"]?.GetValue<string>() ?? throw new PatchFailure(422, "the server rejected our request due to an error in our request: missing from");

    private static string[] Tokens(string pointer)
    {
        if (pointer.Length == 0) return [];
        if (pointer[0] != '/') throw new PatchFailure(422, $"the server rejected our request due to an error in our request: invalid pointer {pointer}");
        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();
    }

    private static JsonNode? Get(JsonNode doc, string pointer)
    {
        JsonNode? node = doc;
        foreach (var token in Tokens(pointer))
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Missing(pointer),
            };
        return node;
    }

    private static JsonNode Add(JsonNode doc, string pointer, JsonNode? value)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0) return value ?? throw Missing(pointer);
        var parent = Get(doc, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o: o[last] = value; break;
            case JsonArray a:
                if (last == "-") a.Add(value);
                else if (int.TryParse(last, out var i) && i >= 0 && i <= a.Count) a.Insert(i, value);
                else throw Missing(pointer);
                break;
            default: throw Missing(pointer);
        }
        return doc;
    }

    private static JsonNode Remove(JsonNode doc, string pointer, out JsonNode? removed)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0) throw Missing(pointer);
        var parent = Get(doc, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out removed):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                break;
            default: throw Missing(pointer);
        }
        if (removed is not null) removed = removed.DeepClone();
        return doc;
    }

    private static string Escape(string token) => token.Replace("~", "~0").Replace("/", "~1");

    private static PatchFailure Missing(string pointer) =>
        new(422, $"the server rejected our request due to an error in our request: doc is missing path: \"{pointer}\": missing value");
}
