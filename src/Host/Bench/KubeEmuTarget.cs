using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Akka.KubeEmu.Host.ApiServer.Tls;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// ConfigMaps of ~1 KB created and read through the API server, as a client would: HTTPS, bearer
/// token, and by default HTTP/2 with every client multiplexed on one connection, which is what
/// client-go (kubectl, controllers) does; HTTP/1.1 opens one connection per concurrent client.
/// </summary>
public sealed class KubeEmuTarget : ILoadTarget, IDisposable
{
    private static readonly string Payload = new('x', 900);
    private readonly HttpClient _client;
    private readonly string _ns;

    public KubeEmuTarget(string apiUrl, string caPem, string token, string ns, Version httpVersion)
    {
        _ns = ns;
        var trusted = ClusterCaTrust.Validator(caPem);
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 256,
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => trusted(cert as X509Certificate2 ?? (cert is null ? null : new X509Certificate2(cert))) },
        };
        _client = new HttpClient(handler) { BaseAddress = new Uri(apiUrl), Timeout = TimeSpan.FromSeconds(60), DefaultRequestVersion = httpVersion, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public string Name => "kubeemu";

    public HttpClient Http => _client;

    public async Task<bool> Put(string key, CancellationToken ct)
    {
        var body = $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{key}}}"},"data":{"payload":"{{{Payload}}}"}}""";
        using var response = await _client.PostAsync($"/api/v1/namespaces/{_ns}/configmaps", new StringContent(body, Encoding.UTF8, "application/json"), ct);
        return response.StatusCode == HttpStatusCode.Created;
    }

    public async Task<bool> Get(string key, CancellationToken ct)
    {
        using var response = await _client.GetAsync($"/api/v1/namespaces/{_ns}/configmaps/{key}", ct);
        return response.IsSuccessStatusCode;
    }

    public async Task CreateNamespace()
    {
        using var response = await _client.PostAsync("/api/v1/namespaces",
            new StringContent($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{_ns}}}"}}""", Encoding.UTF8, "application/json"));
    }

    /// <summary>How many configmaps the namespace holds, from one small paged list (remainingItemCount).</summary>
    public async Task<long?> Count()
    {
        try
        {
            var list = System.Text.Json.Nodes.JsonNode.Parse(await _client.GetStringAsync($"/api/v1/namespaces/{_ns}/configmaps?limit=1"))!;
            var items = list["items"]!.AsArray().Count;
            return items + (list["metadata"]?["remainingItemCount"]?.GetValue<long>() ?? 0);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}
