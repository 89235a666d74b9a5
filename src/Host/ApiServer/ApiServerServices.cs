using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Rest;

namespace Akka.KubeEmu.Host.ApiServer;

/// <summary>What the HTTP handlers need from the cluster.</summary>
public sealed record ApiServerServices(ActorSystem System, IActorRef Store, RestStorage Rest, TimeProvider Time)
{
    private Akka.KubeEmu.Actors.Api.Rbac.RbacAuthorizer? _authorizer;

    /// <summary>RBAC over the roles and bindings in the Store.</summary>
    public Akka.KubeEmu.Actors.Api.Rbac.RbacAuthorizer Authorizer =>
        _authorizer ??= new(new Authorization.StoreRbacObjects(Rest.Store));
}

/// <summary>Where and how the API server listens (TLS with the state directory's serving certificate).</summary>
public sealed record ApiServerOptions(string Address, int Port, string Token, System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate)
{
    /// <summary>Signs and verifies ServiceAccount and user tokens (the state directory's sa.key; a fresh key when none is given).</summary>
    public System.Security.Cryptography.ECDsa SigningKey { get; init; } =
        System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

    /// <summary>The URL clients use; a wildcard bind is reached through loopback.</summary>
    public string Url => $"https://{(Address is "0.0.0.0" or "::" ? "127.0.0.1" : Address)}:{Port}";
}
