using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// A container's probes and lifecycle hooks (validateProbe, validateLivenessProbe,
/// validateReadinessProbe, validateStartupProbe, validateLifecycle and validateHandler in
/// pkg/apis/core/validation), with the real messages. Runs after defaulting, so a probe's zero
/// periods and thresholds are already the defaults.
/// </summary>
public static class ContainerHandlerValidation
{
    private const string InitForbidden = "may not be set for init containers without restartPolicy=Always";
    private static readonly string[] Schemes = ["HTTP", "HTTPS"];

    /// <param name="sidecar">An init container with restartPolicy Always (it may have probes and hooks); other init containers may not.</param>
    public static void Container(JsonObject? c, string at, bool init, bool sidecar, long gracePeriod, List<FieldError> errors)
    {
        if (c is null) return;
        if (init && !sidecar)
        {
            foreach (var field in (string[])["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"])
                if (c[field] is not null) errors.Add(FieldError.ForbiddenField($"{at}.{field}", InitForbidden));
            return;
        }
        if (c["lifecycle"] is JsonObject lifecycle)
            foreach (var hook in (string[])["postStart", "preStop"])
                if (lifecycle[hook] is JsonObject handler) Handler(handler, $"{at}.lifecycle.{hook}", lifecycleHook: true, gracePeriod, errors);
        if (Probe(c["livenessProbe"], $"{at}.livenessProbe", gracePeriod, errors) is { } liveness) MustSucceedOnce(liveness, $"{at}.livenessProbe", errors);
        if (Probe(c["readinessProbe"], $"{at}.readinessProbe", gracePeriod, errors) is { } readiness && readiness["terminationGracePeriodSeconds"] is JsonValue g)
            errors.Add(FieldError.InvalidRaw($"{at}.readinessProbe.terminationGracePeriodSeconds", g.ToJsonString(), "must not be set for readinessProbes"));
        if (Probe(c["startupProbe"], $"{at}.startupProbe", gracePeriod, errors) is { } startup) MustSucceedOnce(startup, $"{at}.startupProbe", errors);
    }

    private static JsonObject? Probe(JsonNode? node, string path, long gracePeriod, List<FieldError> errors)
    {
        if (node is not JsonObject probe) return null;
        Handler(probe, path, lifecycleHook: false, gracePeriod, errors);
        foreach (var field in (string[])["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"])
            if (KubeObject.Long(probe[field]) is { } value && value < 0)
                errors.Add(FieldError.InvalidRaw($"{path}.{field}", value.ToString(), "must be greater than or equal to 0"));
        if (KubeObject.Long(probe["terminationGracePeriodSeconds"]) is { } grace && grace <= 0)
            errors.Add(FieldError.InvalidRaw($"{path}.terminationGracePeriodSeconds", grace.ToString(), "must be greater than 0"));
        return probe;
    }

    private static void MustSucceedOnce(JsonObject probe, string path, List<FieldError> errors)
    {
        if (KubeObject.Long(probe["successThreshold"]) is { } threshold && threshold != 1)
            errors.Add(FieldError.InvalidRaw($"{path}.successThreshold", threshold.ToString(), "must be 1"));
    }

    /// <summary>Exactly one handler: exec, httpGet, tcpSocket, then grpc (probes) or sleep (hooks), in that order.</summary>
    private static void Handler(JsonObject handler, string path, bool lifecycleHook, long gracePeriod, List<FieldError> errors)
    {
        var kinds = lifecycleHook ? (string[])["exec", "httpGet", "tcpSocket", "sleep"] : ["exec", "httpGet", "tcpSocket", "grpc"];
        var found = 0;
        foreach (var kind in kinds)
        {
            if (handler[kind] is not JsonObject action) continue;
            if (found++ > 0)
            {
                errors.Add(FieldError.ForbiddenField($"{path}.{kind}", "may not specify more than 1 handler type"));
                continue;
            }
            var at = $"{path}.{kind}";
            switch (kind)
            {
                case "exec":
                    if (action["command"] is not JsonArray { Count: > 0 }) errors.Add(FieldError.RequiredValue($"{at}.command"));
                    break;
                case "httpGet":
                    Port(action["port"], $"{at}.port", errors);
                    if (KubeObject.String(action, "scheme") is { } scheme && !Schemes.Contains(scheme))
                        errors.Add(FieldError.Unsupported($"{at}.scheme", scheme, Schemes));
                    break;
                case "tcpSocket":
                case "grpc":
                    Port(action["port"], $"{at}.port", errors);
                    break;
                case "sleep":
                    var seconds = KubeObject.Long(action["seconds"]) ?? 0;
                    if (seconds <= 0 || seconds > gracePeriod)
                        errors.Add(FieldError.InvalidRaw(at, seconds.ToString(), $"must be greater than 0 and less than terminationGracePeriodSeconds ({gracePeriod})"));
                    break;
            }
        }
        if (found == 0) errors.Add(FieldError.RequiredValue(path, "must specify a handler type"));
    }

    /// <summary>ValidatePortNumOrName: a number in 1..65535, or an IANA service name.</summary>
    private static void Port(JsonNode? port, string path, List<FieldError> errors)
    {
        if (port is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var name = v.GetValue<string>();
            foreach (var message in PortName(name)) errors.Add(FieldError.Invalid(path, name, message));
            return;
        }
        var number = KubeObject.Long(port) ?? 0;
        if (number is < 1 or > 65535) errors.Add(FieldError.InvalidRaw(path, number.ToString(), "must be between 1 and 65535, inclusive"));
    }

    /// <summary>IsValidPortName's messages (apimachinery's validation).</summary>
    private static IEnumerable<string> PortName(string name)
    {
        if (name.Length is < 1 or > 15) yield return "must be no more than 15 characters";
        if (!name.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '-')) yield return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
        if (!name.Any(char.IsAsciiLetter)) yield return "must contain at least one letter (a-z)";
        if (name.Contains("--", StringComparison.Ordinal)) yield return "must not contain consecutive hyphens";
        if (name.StartsWith('-') || name.EndsWith('-')) yield return "must not begin or end with a hyphen";
    }
}
