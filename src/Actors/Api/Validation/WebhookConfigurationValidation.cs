using System.Globalization;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidateValidatingWebhookConfiguration / ValidateMutatingWebhookConfiguration
/// (pkg/apis/admissionregistration/validation) for admissionregistration.k8s.io/v1 creates: unique
/// fully qualified webhook names, exactly one of url or service, sideEffects and
/// admissionReviewVersions given, known policies, a timeout of 1 to 30 seconds.
/// </summary>
public static class WebhookConfigurationValidation
{
    private static readonly string[] AdmissionReviewVersions = ["v1", "v1beta1"];
    private static readonly string[] FailurePolicies = ["Fail", "Ignore"];
    private static readonly string[] MatchPolicies = ["Equivalent", "Exact"];
    private static readonly string[] SideEffectClasses = ["None", "NoneOnDryRun"];
    private static readonly string[] ReinvocationPolicies = ["IfNeeded", "Never"];

    public static void Validate(JsonObject configuration, bool mutating, List<FieldError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var webhooks = configuration["webhooks"] as JsonArray;
        for (var i = 0; i < (webhooks?.Count ?? 0); i++)
        {
            var path = $"webhooks[{i}]";
            var hook = webhooks![i] as JsonObject ?? new JsonObject();
            Webhook(hook, path, mutating, errors);
            var versions = (hook["admissionReviewVersions"] as JsonArray)?.Select(KubeObject.ScalarText).ToList() ?? [];
            if (versions.Count == 0)
                errors.Add(FieldError.RequiredValue($"{path}.admissionReviewVersions", $"must specify one of {string.Join(", ", AdmissionReviewVersions)}"));
            else if (!versions.Any(v => AdmissionReviewVersions.Contains(v)))
                errors.Add(FieldError.InvalidRaw($"{path}.admissionReviewVersions", $"[]string{{{string.Join(", ", versions.Select(v => GoSyntax.Quote(v ?? "")))}}}",
                    $"must include at least one of {string.Join(", ", AdmissionReviewVersions)}"));
            if (KubeObject.String(hook, "name") is { Length: > 0 } name && !names.Add(name))
                errors.Add(FieldError.DuplicateValue($"{path}.name", name));
        }
    }

    private static void Webhook(JsonObject hook, string path, bool mutating, List<FieldError> errors)
    {
        FullyQualifiedName(KubeObject.String(hook, "name") ?? "", $"{path}.name", errors);
        Supported(hook, "failurePolicy", FailurePolicies, path, errors);
        Supported(hook, "matchPolicy", MatchPolicies, path, errors);
        if (KubeObject.String(hook, "sideEffects") is not { } sideEffects)
            errors.Add(FieldError.RequiredValue($"{path}.sideEffects", $"must specify one of {string.Join(", ", SideEffectClasses)}"));
        else if (!SideEffectClasses.Contains(sideEffects))
            errors.Add(FieldError.Unsupported($"{path}.sideEffects", sideEffects, SideEffectClasses));
        if (KubeObject.Long(hook["timeoutSeconds"]) is { } timeout && timeout is > 30 or < 1)
            errors.Add(FieldError.InvalidRaw($"{path}.timeoutSeconds", timeout.ToString(CultureInfo.InvariantCulture), "the timeout value must be between 1 and 30 seconds"));
        LabelSelectorValidation.Validate(hook["namespaceSelector"], $"{path}.namespaceSelector", errors);
        LabelSelectorValidation.Validate(hook["objectSelector"], $"{path}.objectSelector", errors);
        if (mutating) Supported(hook, "reinvocationPolicy", ReinvocationPolicies, path, errors);
        ClientConfig(hook["clientConfig"] as JsonObject ?? new JsonObject(), $"{path}.clientConfig", errors);
    }

    private static void ClientConfig(JsonObject config, string path, List<FieldError> errors)
    {
        var url = KubeObject.String(config, "url");
        var service = config["service"] as JsonObject;
        if ((url is null) == (service is null))
        {
            errors.Add(FieldError.RequiredValue(path, "exactly one of url or service is required"));
            return;
        }
        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) errors.Add(FieldError.Invalid($"{path}.url", url, "must be a valid URL"));
            else if (uri.Scheme != "https") errors.Add(FieldError.Invalid($"{path}.url", uri.Scheme, "'https' is the only allowed URL scheme"));
            return;
        }
        if (KubeObject.String(service, "name") is not { Length: > 0 }) errors.Add(FieldError.RequiredValue($"{path}.service.name", "service name is required"));
        if (KubeObject.String(service, "namespace") is not { Length: > 0 }) errors.Add(FieldError.RequiredValue($"{path}.service.namespace", "service namespace is required"));
        if (KubeObject.Long(service!["port"]) is { } port && port is < 1 or > 65535)
            errors.Add(FieldError.InvalidRaw($"{path}.service.port", port.ToString(CultureInfo.InvariantCulture), "port is not valid: must be between 1 and 65535, inclusive"));
        if (KubeObject.String(service, "path") is { Length: > 0 } servicePath && !servicePath.StartsWith('/'))
            errors.Add(FieldError.Invalid($"{path}.service.path", servicePath, "must start with a '/'"));
    }

    /// <summary>IsFullyQualifiedName: a DNS subdomain of at least three segments.</summary>
    private static void FullyQualifiedName(string name, string path, List<FieldError> errors)
    {
        if (name.Length == 0)
        {
            errors.Add(FieldError.RequiredValue(path));
            return;
        }
        if (name.EndsWith('.')) name = name[..^1];
        if (NameValidation.Dns1123Subdomain(name).ToList() is { Count: > 0 } messages)
            errors.Add(FieldError.Invalid(path, name, string.Join(",", messages)));
        else if (name.Split('.').Length < 3)
            errors.Add(FieldError.Invalid(path, name, "should be a domain with at least three segments separated by dots"));
    }

    private static void Supported(JsonObject hook, string field, string[] allowed, string path, List<FieldError> errors)
    {
        if (KubeObject.String(hook, field) is { } value && !allowed.Contains(value))
            errors.Add(FieldError.Unsupported($"{path}.{field}", value, allowed));
    }
}
