using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// etcd 3.4 (Debian's etcd-server) on 127.0.0.1 with a temporary data directory, loaded through
/// its JSON gateway (/v3/kv/put, /v3/kv/range) with the same ~1 KB values.
/// </summary>
public sealed class EtcdTarget : ILoadTarget, IAsyncDisposable
{
    private static readonly string Payload = new('x', 900);
    private readonly Process _process;
    private readonly HttpClient _client;
    private readonly string _dataDir;

    private EtcdTarget(Process process, HttpClient client, string dataDir)
    {
        _process = process;
        _client = client;
        _dataDir = dataDir;
    }

    public string Name => "etcd";

    public static async Task<EtcdTarget> Start(string binary, int clientPort, int peerPort)
    {
        var dataDir = Directory.CreateTempSubdirectory("kubeemu-bench-etcd-").FullName;
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
                 {
                     "--name", "bench", "--data-dir", dataDir,
                     "--listen-client-urls", $"http://127.0.0.1:{clientPort}", "--advertise-client-urls", $"http://127.0.0.1:{clientPort}",
                     "--listen-peer-urls", $"http://127.0.0.1:{peerPort}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peerPort}",
                     "--initial-cluster", $"bench=http://127.0.0.1:{peerPort}", "--log-level", "error",
                 })
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri($"http://127.0.0.1:{clientPort}") };
        var target = new EtcdTarget(process, client, dataDir);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) return target;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        await target.DisposeAsync();
        throw new InvalidOperationException("etcd did not become healthy within 30 s");
    }

    public async Task<bool> Put(string key, CancellationToken ct)
    {
        using var response = await _client.PostAsJsonAsync("/v3/kv/put", new { key = B64("/registry/configmaps/bench/" + key), value = B64(Payload) }, ct);
        return response.IsSuccessStatusCode;
    }

    public async Task<bool> Get(string key, CancellationToken ct)
    {
        using var response = await _client.PostAsJsonAsync("/v3/kv/range", new { key = B64("/registry/configmaps/bench/" + key) }, ct);
        return response.IsSuccessStatusCode;
    }

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException) { }
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (IOException) { }
    }
}
