using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Host.ApiServer.Authentication;
using Akka.KubeEmu.Host.ApiServer.Http;

namespace Akka.KubeEmu.Host.ApiServer.Authorization;

/// <summary>
/// kube-apiserver's filter chain in front of every handler: authentication (401 for a missing or
/// bad token), impersonation, then authorization (403 worded as the apiserver words it). The
/// paths every client may read (system:public-info-viewer) need no credential, but a bad one is refused.
/// </summary>
public sealed class AuthorizationFilter(TokenAuthenticator authenticator, Func<ApiServerServices> services)
{
    // Paths the apiserver serves to anonymous clients (system:public-info-viewer); not /livez/etcd.
    private static readonly string[] PublicPaths = ["/version", "/version/", "/healthz", "/livez", "/readyz"];

    /// <summary>True when the request may go on; otherwise the answer has been written.</summary>
    public async Task<bool> Admit(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var isPublic = PublicPaths.Contains(context.Request.Path.Value);
        if (isPublic && header.Length == 0) return true;
        // A credential that does not authenticate is a 401 even where anonymous clients may read.
        var user = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? await authenticator.Authenticate(header[7..].Trim())
            : null;
        if (user is null)
        {
            await StatusResponses.Write(context, ApiStatus.Unauthorized());
            return false;
        }
        if (isPublic)
        {
            RequestUser.Set(context, user);
            return true;
        }
        try
        {
            var authorizer = services().Authorizer;
            var (actingAs, refused) = await Impersonation.Apply(context.Request, user, authorizer);
            if (refused is not null)
            {
                await StatusResponses.Write(context, refused);
                return false;
            }
            RequestUser.Set(context, actingAs!);
            if (actingAs!.IsPrivileged) return true;
            var attributes = RequestAttributes.From(context.Request, actingAs);
            var decision = await authorizer.Authorize(attributes);
            if (decision.Allowed) return true;
            await StatusResponses.Write(context, ForbiddenMessages.Forbidden(attributes, decision.Reason));
            return false;
        }
        catch (ApiException e)
        {
            // The Store could not be read (moved, timed out): its own Status, never a 500.
            await StatusResponses.Write(context, e.Status);
            return false;
        }
    }
}
