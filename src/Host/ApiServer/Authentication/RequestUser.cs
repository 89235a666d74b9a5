using Akka.KubeEmu.Actors.Api.Rbac;

namespace Akka.KubeEmu.Host.ApiServer.Authentication;

/// <summary>The user a request was authenticated (and perhaps impersonated) as, kept on the HttpContext.</summary>
public static class RequestUser
{
    private const string Key = "kubeemu.user";

    public static void Set(HttpContext context, UserInfo user) => context.Items[Key] = user;

    /// <summary>The request's user; requests that skipped authentication (public paths) are anonymous.</summary>
    public static UserInfo Of(HttpContext context) =>
        context.Items.TryGetValue(Key, out var user) && user is UserInfo u ? u : new UserInfo(UserInfo.Anonymous, [UserInfo.AllUnauthenticated]);
}
