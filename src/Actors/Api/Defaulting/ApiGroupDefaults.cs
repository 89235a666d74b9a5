using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using static Akka.KubeEmu.Actors.Api.Defaulting.PodDefaults;

namespace Akka.KubeEmu.Actors.Api.Defaulting;

/// <summary>
/// The v1 (and autoscaling/v2) SetDefaults_* functions of networking.k8s.io, autoscaling,
/// admissionregistration.k8s.io and core LimitRange.
/// </summary>
public static class ApiGroupDefaults
{
    /// <returns>Whether the kind is one of these groups' (and was defaulted).</returns>
    public static bool Apply(string kind, JsonObject obj)
    {
        switch (kind)
        {
            case "HorizontalPodAutoscaler":
                HorizontalPodAutoscaler(KubeObject.EnsureObject(obj, "spec"));
                return true;
            case "NetworkPolicy":
                NetworkPolicy(KubeObject.EnsureObject(obj, "spec"));
                return true;
            case "IngressClass":
                if (KubeObject.At(obj, "spec.parameters") is JsonObject parameters) Default(parameters, "scope", "Cluster");
                return true;
            case "ValidatingWebhookConfiguration" or "MutatingWebhookConfiguration":
                foreach (var hook in (obj["webhooks"] as JsonArray)?.OfType<JsonObject>() ?? [])
                    Webhook(hook, kind == "MutatingWebhookConfiguration");
                return true;
            case "LimitRange":
                foreach (var item in (KubeObject.At(obj, "spec.limits") as JsonArray)?.OfType<JsonObject>() ?? [])
                    LimitRangeItem(item);
                return true;
            default:
                return false;
        }
    }

    /// <summary>autoscaling/v2: minReplicas 1, a CPU utilization target of 80% when no metric is given, behavior rules filled in.</summary>
    private static void HorizontalPodAutoscaler(JsonObject spec)
    {
        Default(spec, "minReplicas", 1);
        if (spec["metrics"] is not JsonArray { Count: > 0 })
            spec["metrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject { ["name"] = "cpu", ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = 80 } },
            });
        if (spec["behavior"] is not JsonObject behavior) return;
        ScalingRules(behavior, "scaleUp", 0, new JsonArray(Policy("Pods", 4), Policy("Percent", 100)));
        ScalingRules(behavior, "scaleDown", 300, new JsonArray(Policy("Percent", 100)));
    }

    // GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: what the rules leave out comes from the defaults.
    private static void ScalingRules(JsonObject behavior, string direction, int stabilizationWindowSeconds, JsonArray policies)
    {
        var rules = KubeObject.EnsureObject(behavior, direction);
        Default(rules, "stabilizationWindowSeconds", stabilizationWindowSeconds);
        Default(rules, "selectPolicy", "Max");
        Default(rules, "policies", policies);
    }

    private static JsonObject Policy(string type, int value) => new() { ["type"] = type, ["value"] = value, ["periodSeconds"] = 15 };

    /// <summary>Ports default to TCP; policyTypes to Ingress, plus Egress when egress rules are given.</summary>
    private static void NetworkPolicy(JsonObject spec)
    {
        foreach (var direction in new[] { "ingress", "egress" })
            foreach (var rule in (spec[direction] as JsonArray)?.OfType<JsonObject>() ?? [])
                foreach (var port in (rule["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
                    Default(port, "protocol", "TCP");
        if (spec["policyTypes"] is JsonArray { Count: > 0 }) return;
        var types = new JsonArray("Ingress");
        if (spec["egress"] is JsonArray { Count: > 0 }) types.Add("Egress");
        spec["policyTypes"] = types;
    }

    private static void Webhook(JsonObject hook, bool mutating)
    {
        Default(hook, "failurePolicy", "Fail");
        Default(hook, "matchPolicy", "Equivalent");
        Default(hook, "namespaceSelector", new JsonObject());
        Default(hook, "objectSelector", new JsonObject());
        Default(hook, "timeoutSeconds", 10);
        if (mutating) Default(hook, "reinvocationPolicy", "Never");
        foreach (var rule in (hook["rules"] as JsonArray)?.OfType<JsonObject>() ?? []) Default(rule, "scope", "*");
        if (KubeObject.At(hook, "clientConfig.service") is JsonObject service) Default(service, "port", 443);
    }

    /// <summary>SetDefaults_LimitRangeItem: for containers, default from max, defaultRequest from default, then from min.</summary>
    private static void LimitRangeItem(JsonObject item)
    {
        if (KubeObject.String(item, "type") != "Container") return;
        var defaults = KubeObject.EnsureObject(item, "default");
        var requests = KubeObject.EnsureObject(item, "defaultRequest");
        foreach (var (name, value) in item["max"] as JsonObject ?? []) Default(defaults, name, value?.DeepClone());
        foreach (var (name, value) in defaults) Default(requests, name, value?.DeepClone());
        foreach (var (name, value) in item["min"] as JsonObject ?? []) Default(requests, name, value?.DeepClone());
        // Empty maps are omitted from the JSON (omitempty).
        if (defaults.Count == 0) item.Remove("default");
        if (requests.Count == 0) item.Remove("defaultRequest");
    }
}
