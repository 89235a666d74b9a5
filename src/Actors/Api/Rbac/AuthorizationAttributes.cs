namespace Akka.KubeEmu.Actors.Api.Rbac;

/// <summary>
/// What an authorizer is asked (k8s.io/apiserver authorizer.Attributes): a verb on a resource
/// (group, resource, subresource, namespace, name) or on a non-resource path such as /healthz.
/// </summary>
public sealed record AuthorizationAttributes(
    UserInfo User,
    string Verb,
    bool IsResourceRequest,
    string Path = "",
    string Namespace = "",
    string ApiGroup = "",
    string ApiVersion = "",
    string Resource = "",
    string Subresource = "",
    string Name = "")
{
    public static AuthorizationAttributes ForResource(UserInfo user, string verb, string group, string resource,
        string ns = "", string name = "", string subresource = "", string version = "") =>
        new(user, verb, true, "", ns, group, version, resource, subresource, name);

    public static AuthorizationAttributes ForPath(UserInfo user, string verb, string path) => new(user, verb, false, path);
}
