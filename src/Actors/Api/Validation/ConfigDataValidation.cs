using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidateConfigMap / ValidateSecret beyond the keys (ObjectValidator's DataKeys): the keys each
/// Secret type requires, keys in both data and binaryData, and on update the immutable type and
/// the data of an object marked immutable.
/// </summary>
public static class ConfigDataValidation
{
    private const string ImmutableMessage = "field is immutable when `immutable` is set";

    public static void Validate(string kind, JsonObject obj, List<FieldError> errors)
    {
        if (kind == "ConfigMap")
        {
            var data = obj["data"] as JsonObject;
            foreach (var (key, _) in obj["binaryData"] as JsonObject ?? [])
                if (data?.ContainsKey(key) == true) errors.Add(FieldError.Invalid($"binaryData[{key}]", key, "duplicate of key present in data"));
        }
        else if (kind == "Secret") SecretType(obj, errors);
    }

    public static void ValidateUpdate(string kind, JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        if (kind is not ("ConfigMap" or "Secret")) return;
        if (kind == "Secret" && (KubeObject.String(obj, "type") ?? "") is var type && type != (KubeObject.String(old, "type") ?? ""))
            errors.Add(FieldError.Invalid("type", type, "field is immutable"));
        if (!Immutable(old)) return;
        if (!Immutable(obj)) errors.Add(FieldError.ForbiddenField("immutable", ImmutableMessage));
        if (!SameMap(obj["data"], old["data"])) errors.Add(FieldError.ForbiddenField("data", ImmutableMessage));
        if (kind == "ConfigMap" && !SameMap(obj["binaryData"], old["binaryData"])) errors.Add(FieldError.ForbiddenField("binaryData", ImmutableMessage));
    }

    /// <summary>The keys each built-in Secret type must hold (core validation's switch on secret.Type).</summary>
    private static void SecretType(JsonObject secret, List<FieldError> errors)
    {
        var data = secret["data"] as JsonObject ?? [];
        switch (KubeObject.String(secret, "type"))
        {
            case "kubernetes.io/service-account-token":
                if (string.IsNullOrEmpty(KubeObject.ScalarText(KubeObject.At(secret, "metadata.annotations")?["kubernetes.io/service-account.name"])))
                    errors.Add(FieldError.RequiredValue("metadata.annotations[kubernetes.io/service-account.name]"));
                break;
            case "kubernetes.io/dockercfg":
                DockerConfig(data, ".dockercfg", errors);
                break;
            case "kubernetes.io/dockerconfigjson":
                DockerConfig(data, ".dockerconfigjson", errors);
                break;
            case "kubernetes.io/basic-auth":
                if (!data.ContainsKey("username") && !data.ContainsKey("password"))
                {
                    errors.Add(FieldError.RequiredValue("data[username]"));
                    errors.Add(FieldError.RequiredValue("data[password]"));
                }
                break;
            case "kubernetes.io/ssh-auth":
                if (string.IsNullOrEmpty(KubeObject.ScalarText(data["ssh-privatekey"]))) errors.Add(FieldError.RequiredValue("data[ssh-privatekey]"));
                break;
            case "kubernetes.io/tls":
                if (!data.ContainsKey("tls.crt")) errors.Add(FieldError.RequiredValue("data[tls.crt]"));
                if (!data.ContainsKey("tls.key")) errors.Add(FieldError.RequiredValue("data[tls.key]"));
                break;
        }
    }

    /// <summary>The docker config must be there and be JSON (its contents are never echoed).</summary>
    private static void DockerConfig(JsonObject data, string key, List<FieldError> errors)
    {
        if (!data.ContainsKey(key))
        {
            errors.Add(FieldError.RequiredValue($"data[{key}]"));
            return;
        }
        string text;
        try
        {
            text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(KubeObject.ScalarText(data[key]) ?? ""));
        }
        catch (FormatException)
        {
            return; // not base64: the decoder's error, not validation's
        }
        if (JsonError(text) is { } error) errors.Add(FieldError.Invalid($"data[{key}]", "<secret contents redacted>", error));
    }

    /// <summary>encoding/json's wording for the two common mistakes; null when the text is a JSON object.</summary>
    private static string? JsonError(string text)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject) return null;
            return "json: cannot unmarshal " + (text.TrimStart().FirstOrDefault() switch { '[' => "array", '"' => "string", 't' or 'f' => "bool", 'n' => "null", _ => "number" })
                + " into Go value of type map[string]interface {}";
        }
        catch (JsonException)
        {
            var first = text.TrimStart();
            return first.Length == 0 ? "unexpected end of JSON input" : $"invalid character '{first[0]}' looking for beginning of value";
        }
    }

    private static bool Immutable(JsonObject obj) => obj["immutable"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>reflect.DeepEqual of two maps (a missing map and an empty one count the same here).</summary>
    private static bool SameMap(JsonNode? a, JsonNode? b) =>
        (a is not JsonObject { Count: > 0 } && b is not JsonObject { Count: > 0 }) || JsonNode.DeepEquals(a, b);
}
