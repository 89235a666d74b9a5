using System.Net.Http.Headers;
using Akka.KubeEmu.Host.ApiServer.Tls;
using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Host.Launcher;

/// <summary>Asks the cluster's API what kubectl would see, trusting only the cluster CA.</summary>
public sealed class ApiProbe : IDisposable
{
    private readonly HttpClient _client;

    public ApiProbe(string apiUrl, string caPem, string token)
    {
        var trusted = ClusterCaTrust.Validator(caPem);
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => trusted(cert) };
        _client = new HttpClient(handler) { BaseAddress = new Uri(apiUrl), Timeout = TimeSpan.FromSeconds(5) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<bool> Ready(CancellationToken ct)
    {
        try
        {
            return (await _client.GetAsync("/readyz", ct)).IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>The names of the Nodes whose Ready condition is True.</summary>
    public async Task<IReadOnlySet<string>> ReadyNodes(CancellationToken ct)
    {
        try
        {
            var list = JsonNode.Parse(await _client.GetStringAsync("/api/v1/nodes", ct))!;
            return list["items"]!.AsArray()
                .Where(n => n!["status"]?["conditions"]?.AsArray().Any(c =>
                    c!["type"]!.GetValue<string>() == "Ready" && c["status"]!.GetValue<string>() == "True") == true)
                .Select(n => n!["metadata"]!["name"]!.GetValue<string>())
                .ToHashSet();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return new HashSet<string>();
        }
    }

    public void Dispose() => _client.Dispose();
}
