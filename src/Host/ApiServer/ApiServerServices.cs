using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Rest;

namespace Akka.KubeEmu.Host.ApiServer;

/// <summary>What the HTTP handlers need from the cluster.</summary>
public sealed record ApiServerServices(ActorSystem System, IActorRef Store, RestStorage Rest, TimeProvider Time);

/// <summary>Where and how the API server listens (TLS with the state directory's serving certificate).</summary>
public sealed record ApiServerOptions(string Address, int Port, string Token, System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate)
{
    /// <summary>The URL clients use; a wildcard bind is reached through loopback.</summary>
    public string Url => $"https://{(Address is "0.0.0.0" or "::" ? "127.0.0.1" : Address)}:{Port}";
}
