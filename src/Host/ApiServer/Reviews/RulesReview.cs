using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Actors.Api.Resources;
using k8s.Models;

namespace Akka.KubeEmu.Host.ApiServer.Reviews;

/// <summary>
/// SelfSubjectRulesReview (`kubectl auth can-i --list`): every rule that applies to the requester
/// in a namespace, the privileged group's everything-rules first for system:masters, then RBAC's.
/// </summary>
public static class RulesReview
{
    private static readonly V1PolicyRule[] Everything =
    [
        new() { Verbs = ["*"], ApiGroups = ["*"], Resources = ["*"] },
        new() { Verbs = ["*"], NonResourceURLs = ["*"] },
    ];

    public static async Task<(JsonObject? Review, ApiStatus? Error)> Evaluate(JsonObject review, UserInfo requester, RbacAuthorizer authorizer)
    {
        var ns = KubeObject.ScalarAt(review, "spec.namespace") ?? "";
        if (ns.Length == 0)
            return (null, ApiStatus.BadRequest("no namespace on request"));
        var resolved = await authorizer.Resolver.RulesFor(requester, ns);
        var rules = requester.IsPrivileged ? Everything.Concat(resolved.Rules) : resolved.Rules;
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var rule in rules)
        {
            if (rule.NonResourceURLs is { Count: > 0 } urls)
                nonResourceRules.Add(new JsonObject { ["verbs"] = Array(rule.Verbs), ["nonResourceURLs"] = Array(urls) });
            else
            {
                var r = new JsonObject { ["verbs"] = Array(rule.Verbs), ["apiGroups"] = Array(rule.ApiGroups), ["resources"] = Array(rule.Resources) };
                if (rule.ResourceNames is { Count: > 0 } names) r["resourceNames"] = Array(names);
                resourceRules.Add(r);
            }
        }
        var answer = review.DeepClone().AsObject();
        answer["apiVersion"] = ResourceCatalog.SelfSubjectRulesReviews.ApiVersion;
        answer["kind"] = ResourceCatalog.SelfSubjectRulesReviews.Kind;
        KubeObject.Metadata(answer)["creationTimestamp"] = null;
        var status = new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = resolved.Errors.Count > 0 };
        if (resolved.Errors.Count > 0) status["evaluationError"] = "[" + string.Join(", ", resolved.Errors) + "]";
        answer["status"] = status;
        return (answer, null);
    }

    private static JsonArray Array(IEnumerable<string>? values) => new((values ?? []).Select(v => (JsonNode)v).ToArray());
}
