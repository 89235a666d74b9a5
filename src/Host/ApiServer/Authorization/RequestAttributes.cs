using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Host.ApiServer.Handlers;

namespace Akka.KubeEmu.Host.ApiServer.Authorization;

/// <summary>
/// What a request asks to do, decoded from its method and path as kube-apiserver's
/// RequestInfoFactory does: /api/v1/... and /apis/GROUP/VERSION/... are resource requests
/// (verbs get, list, watch, create, update, patch, delete, deletecollection); anything shorter
/// (/api, /apis/apps/v1, /healthz, /metrics) is a non-resource request whose verb is the method.
/// </summary>
public static class RequestAttributes
{
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    public static AuthorizationAttributes From(HttpRequest request, UserInfo user)
    {
        var path = request.Path.Value ?? "/";
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        var method = request.Method.ToLowerInvariant();
        var nonResource = AuthorizationAttributes.ForPath(user, method, path);
        if (parts.Count < 3 || parts[0] is not ("api" or "apis")) return nonResource;
        var group = "";
        var rest = parts.Skip(1).ToList();
        if (parts[0] == "apis")
        {
            if (rest.Count < 3) return nonResource;
            group = rest[0];
            rest.RemoveAt(0);
        }
        var version = rest[0];
        rest.RemoveAt(0);

        var verb = request.Method switch
        {
            "POST" => "create",
            "GET" or "HEAD" => "get",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => "",
        };
        if (rest[0] is "watch" or "proxy")
        {
            verb = rest[0];
            rest.RemoveAt(0);
        }
        var ns = "";
        if (rest.Count > 0 && rest[0] == "namespaces" && rest.Count > 1)
        {
            ns = rest[1];
            if (rest.Count > 2 && !NamespaceSubresources.Contains(rest[2])) rest.RemoveRange(0, 2);
        }
        var resource = rest.Count > 0 ? rest[0] : "";
        var name = rest.Count > 1 ? rest[1] : "";
        var subresource = rest.Count > 2 && verb is not ("watch" or "proxy") ? rest[2] : "";
        if (name.Length == 0 && verb == "get")
        {
            verb = QueryOptions.IsWatch(request) ? "watch" : "list";
            // A list or watch of one object by its name (kubectl get pod x -w) is authorized as that object.
            if (FieldSelectorName(request.Query["fieldSelector"].ToString()) is { } selected) name = selected;
        }
        if (name.Length == 0 && verb == "delete") verb = "deletecollection";
        if (verb == "watch" && name.Length == 0 && FieldSelectorName(request.Query["fieldSelector"].ToString()) is { } watched) name = watched;
        return new AuthorizationAttributes(user, verb, true, path, ns, group, version, resource, subresource, name);
    }

    private static string? FieldSelectorName(string selector)
    {
        foreach (var term in selector.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = term.Split('=', 2);
            if (parts.Length == 2 && parts[0].Trim() == "metadata.name" && !parts[0].EndsWith('!')) return parts[1].TrimStart('=').Trim();
        }
        return null;
    }
}
