using System.Net.Http.Headers;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Host.ApiServer;
using Akka.KubeEmu.Host.ApiServer.Tls;
using Akka.KubeEmu.Host.ControlPlane;
using Akka.KubeEmu.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// The real API server (Kestrel, TLS, bearer token) on a random loopback port, in front of a
/// local Store: HTTP behaviour without starting processes.
/// </summary>
public sealed class ApiServerFixture : IAsyncDisposable
{
    public const string Token = "test-token";

    private readonly TempDir _dir = new();
    private readonly ActorSystem _system;
    private readonly WebApplication _app;

    /// <param name="watchWindow">Changes the store keeps for watches (small in tests, to reach 410 Gone).</param>
    /// <param name="silentStore">The API talks to a Store that never answers (as one that moved or hangs).</param>
    public ApiServerFixture(int watchWindow = 100_000, bool silentStore = false)
    {
        _system = ActorSystem.Create("kubeemu", TestConfigs.LocalWithStore(_dir.Path));
        var store = _system.ActorOf(StoreActor.Props(new StoreSettings(WatchWindow: watchWindow), TimeProvider.System), "store");
        var storeClient = new StoreClient(store, TimeSpan.FromSeconds(10));
        foreach (var ns in Akka.KubeEmu.Actors.Controllers.Bootstrap.SystemNamespaces.Names)
            storeClient.Create("namespaces", Akka.KubeEmu.Actors.Controllers.Bootstrap.SystemNamespaces.Namespace(ns)).Wait();

        var options = new ApiServerOptions("127.0.0.1", 0, Token, ServingCertificates.Ensure(_dir.Path, "127.0.0.1"));
        SigningKey = options.SigningKey;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ApiServerApp.ConfigureKestrel(builder, options);
        _app = builder.Build();
        if (silentStore)
        {
            store = _system.ActorOf(Props.Empty, "silent-store");
            storeClient = new StoreClient(store, TimeSpan.FromSeconds(10));
        }
        var services = new ApiServerServices(_system, store, new RestStorage(storeClient, new KubernetesPipeline(new Akka.KubeEmu.Actors.Api.Defaulting.AdmissionSettings())), TimeProvider.System);
        ApiServerApp.Map(_app, options, () => services);
        _app.StartAsync().Wait();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var trusted = ClusterCaTrust.Validator(File.ReadAllText(ServingCertificates.CaPath(_dir.Path)));
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => trusted(cert) };
        Address = address;
        CaPath = ServingCertificates.CaPath(_dir.Path);
        Anonymous = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(address) };
        Client = new HttpClient(handler) { BaseAddress = new Uri(address) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    /// <summary>The key the server verifies user and ServiceAccount tokens with.</summary>
    public System.Security.Cryptography.ECDsa SigningKey { get; }

    /// <summary>A client authenticated with <paramref name="token"/> instead of the admin token.</summary>
    public HttpClient As(string token)
    {
        var trusted = ClusterCaTrust.Validator(File.ReadAllText(CaPath));
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => trusted(cert) };
        var client = new HttpClient(handler) { BaseAddress = new Uri(Address) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The official C# client, as the admin, checking the server against the cluster CA.</summary>
    public k8s.Kubernetes OfficialClient()
    {
        var ca = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        ca.ImportFromPemFile(CaPath);
        return new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = Address, AccessToken = Token, SslCaCerts = ca });
    }

    /// <summary>The server's https address.</summary>
    public string Address { get; }

    /// <summary>The cluster CA's certificate (PEM), for clients that check the server against it.</summary>
    public string CaPath { get; }

    /// <summary>Authenticated with the bearer token; the server certificate is checked against the cluster CA.</summary>
    public HttpClient Client { get; }

    public HttpClient Anonymous { get; }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _system.Terminate();
        _dir.Dispose();
    }
}
