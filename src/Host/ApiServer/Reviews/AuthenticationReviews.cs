using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Host.ApiServer.Authentication;

namespace Akka.KubeEmu.Host.ApiServer.Reviews;

/// <summary>
/// authentication.k8s.io/v1 reviews: SelfSubjectReview (`kubectl auth whoami`) reports the
/// requester; TokenReview says who a token authenticates as, for the audiences asked.
/// </summary>
public static class AuthenticationReviews
{
    public static JsonObject SelfSubject(UserInfo user) => new()
    {
        ["kind"] = ResourceCatalog.SelfSubjectReviews.Kind,
        ["apiVersion"] = ResourceCatalog.SelfSubjectReviews.ApiVersion,
        ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
        ["status"] = new JsonObject { ["userInfo"] = UserJson(user) },
    };

    public static async Task<(JsonObject? Review, ApiStatus? Error)> Token(JsonObject review, TokenAuthenticator authenticator)
    {
        var token = KubeObject.ScalarAt(review, "spec.token") ?? "";
        if (token.Length == 0)
            return (null, ApiStatus.Invalid(ResourceCatalog.TokenReviews, KubeObject.Name(review), [FieldError.RequiredValue("spec.token")]));
        var audiences = (KubeObject.At(review, "spec.audiences") as JsonArray ?? []).Select(a => KubeObject.ScalarText(a) ?? "").Where(a => a.Length > 0).ToArray();
        var effective = audiences.Length > 0 ? audiences : [TokenClaims.ServiceAccountIssuer];
        var user = await authenticator.Authenticate(token, effective);
        var answer = review.DeepClone().AsObject();
        answer["apiVersion"] = ResourceCatalog.TokenReviews.ApiVersion;
        answer["kind"] = ResourceCatalog.TokenReviews.Kind;
        KubeObject.Metadata(answer)["creationTimestamp"] = null;
        answer["status"] = user is null
            ? new JsonObject { ["user"] = new JsonObject(), ["error"] = "[invalid bearer token, token lookup failed]" }
            : new JsonObject
            {
                ["authenticated"] = true,
                ["user"] = UserJson(user),
                ["audiences"] = new JsonArray(effective.Select(a => (JsonNode)a).ToArray()),
            };
        return (answer, null);
    }

    private static JsonObject UserJson(UserInfo user)
    {
        var json = new JsonObject { ["username"] = user.Name };
        if (user.Uid.Length > 0) json["uid"] = user.Uid;
        json["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode)g).ToArray());
        if (user.Extra.Count > 0)
            json["extra"] = new JsonObject(user.Extra.Select(e =>
                KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray(e.Value.Select(v => (JsonNode)v).ToArray()))));
        return json;
    }
}
