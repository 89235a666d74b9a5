using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Host.ApiServer.Authentication;
using Akka.KubeEmu.Host.ApiServer.Handlers;
using Akka.KubeEmu.Host.ApiServer.Http;

namespace Akka.KubeEmu.Host.ApiServer.Reviews;

/// <summary>
/// POSTs that compute an answer instead of storing an object: the access and rules reviews,
/// SelfSubjectReview, TokenReview and serviceaccounts/NAME/token. Answered 201, as their REST
/// storages' Create answers.
/// </summary>
public sealed class ReviewHandler(ApiServerServices services, TokenAuthenticator authenticator, TokenRequests tokens)
{
    public async Task Create(HttpContext context, RequestInfo info, ResponseFormat format)
    {
        var (bytes, readError) = await RequestBodies.Read(context.Request, context.RequestAborted);
        if (readError is not null)
        {
            await StatusResponses.Write(context, readError);
            return;
        }
        var (body, decodeError, _) = RequestBodies.Decode(context.Request.ContentType, bytes!);
        if (decodeError is not null)
        {
            await StatusResponses.Write(context, decodeError);
            return;
        }
        var (kind, group) = info.Subresource == "token" ? ("TokenRequest", "authentication.k8s.io") : (info.Type.Kind, info.Type.Group);
        if (TypeMeta(body!, kind, group, info.Type.Version) is { } typeError)
        {
            await StatusResponses.Write(context, typeError);
            return;
        }
        var user = RequestUser.Of(context);
        var type = info.Type;
        var (answer, error) = info.Subresource == "token"
            ? await tokens.Create(info.Namespace!, info.Name!, body!)
            : type == ResourceCatalog.SelfSubjectReviews ? (AuthenticationReviews.SelfSubject(user), null)
            : type == ResourceCatalog.TokenReviews ? await AuthenticationReviews.Token(body!, authenticator)
            : type == ResourceCatalog.SelfSubjectRulesReviews ? await RulesReview.Evaluate(body!, user, services.Authorizer)
            : await AccessReviews.Evaluate(type, info.Namespace, body!, user, services.Authorizer);
        await ResponseWriter.Result(context, error is null ? RestResult.Ok(answer!, 201) : RestResult.Fail(error), type, format, services.Time.GetUtcNow());
    }

    // The decoder's defaults and checks for apiVersion and kind (gvkWithDefaults).
    private static ApiStatus? TypeMeta(JsonObject body, string kind, string group, string version)
    {
        var expected = $"{group}/{version}";
        var apiVersion = KubeObject.ApiVersion(body);
        var bodyKind = KubeObject.Kind(body);
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != expected)
            return ApiStatus.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({expected})");
        if (!string.IsNullOrEmpty(bodyKind) && bodyKind != kind)
            return ApiStatus.BadRequest($"{kind} in version \"{version}\" cannot be handled as a {kind}: the kind in the data ({bodyKind}) does not match the expected kind ({kind})");
        return null;
    }
}
