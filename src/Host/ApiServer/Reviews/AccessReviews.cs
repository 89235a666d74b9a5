using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Host.ApiServer.Reviews;

/// <summary>
/// authorization.k8s.io/v1 access reviews (pkg/registry/authorization/*): the request's own
/// rights (SelfSubjectAccessReview, `kubectl auth can-i`), another subject's
/// (SubjectAccessReview), or another's in one namespace (LocalSubjectAccessReview). The answer is
/// the review with its status filled in; nothing is stored.
/// </summary>
public static class AccessReviews
{
    public static async Task<(JsonObject? Review, ApiStatus? Error)> Evaluate(ResourceType type, string? pathNamespace, JsonObject review,
        UserInfo requester, RbacAuthorizer authorizer)
    {
        var spec = review["spec"] as JsonObject ?? new JsonObject();
        var resource = spec["resourceAttributes"] as JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        var errors = new List<FieldError>();
        if ((resource is null) == (nonResource is null))
            errors.Add(FieldError.Invalid("spec.resourceAttributes", resource is null ? "null" : "{...}",
                "exactly one of nonResourceAttributes or resourceAttributes must be specified"));

        UserInfo subject;
        if (type == ResourceCatalog.SelfSubjectAccessReviews) subject = requester;
        else
        {
            var name = KubeObject.String(spec, "user") ?? "";
            var groups = (spec["groups"] as JsonArray ?? []).Select(g => KubeObject.ScalarText(g) ?? "").ToArray();
            if (name.Length == 0 && groups.Length == 0)
                errors.Add(FieldError.Invalid("spec.user", "", "at least one of user or group must be specified"));
            subject = new UserInfo(name, groups, KubeObject.String(spec, "uid") ?? "");
        }
        if (errors.Count > 0) return (null, ApiStatus.Invalid(type, KubeObject.Name(review), errors));

        if (type == ResourceCatalog.LocalSubjectAccessReviews)
        {
            var ns = KubeObject.String(resource, "namespace") ?? "";
            if (resource is not null && ns != pathNamespace)
                return (null, ApiStatus.BadRequest($"spec.resourceAttributes.namespace must match namespace: {pathNamespace}"));
            if (nonResource is not null)
                return (null, ApiStatus.Invalid(type, KubeObject.Name(review),
                    [FieldError.Invalid("spec.nonResourceAttributes", "{...}", "disallowed on this kind of request")]));
        }

        var attributes = resource is not null
            ? AuthorizationAttributes.ForResource(subject, Str(resource, "verb"), Str(resource, "group"), Str(resource, "resource"),
                Str(resource, "namespace"), Str(resource, "name"), Str(resource, "subresource"), Str(resource, "version"))
            : AuthorizationAttributes.ForPath(subject, Str(nonResource!, "verb"), Str(nonResource!, "path"));
        var decision = await authorizer.Authorize(attributes);
        var answer = review.DeepClone().AsObject();
        answer["apiVersion"] = type.ApiVersion;
        answer["kind"] = type.Kind;
        KubeObject.Metadata(answer)["creationTimestamp"] = null;
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0) status["reason"] = decision.Reason;
        answer["status"] = status;
        return (answer, null);
    }

    private static string Str(JsonObject o, string field) => KubeObject.ScalarText(o[field]) ?? "";
}
