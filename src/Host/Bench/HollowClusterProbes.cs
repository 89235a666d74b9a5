using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Host.ApiServer.Tls;
using Akka.KubeEmu.Host.Launcher;
using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// What the benchmarks that start their own control plane and hollow-node processes ask of them:
/// a client once the API answers, how many Nodes are Ready, and each process's peak memory.
/// </summary>
public static class HollowClusterProbes
{
    /// <summary>An HTTP/2 client to the control plane's API once it answers /version (60 s at most).</summary>
    public static async Task<KubeEmuTarget> Connect(string stateDir, int apiPort, ChildProcess controlPlane, string ns)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (controlPlane.HasExited) throw new InvalidOperationException($"the control plane exited:\n{controlPlane.LogTail()}");
            if (File.Exists(ProcessRecord.PathFor(stateDir, "control-plane")))
            {
                var target = new KubeEmuTarget($"https://127.0.0.1:{apiPort}", File.ReadAllText(ServingCertificates.CaPath(stateDir)),
                    BearerToken.ReadOrCreate(Path.Combine(stateDir, "token")), ns, HttpVersion.Version20);
                try
                {
                    using var version = await target.Http.GetAsync("/version");
                    if (version.IsSuccessStatusCode) return target;
                }
                catch (HttpRequestException) { }
                target.Dispose();
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("the control plane did not start within 60 s");
    }

    public static async Task<int> ReadyNodes(HttpClient api)
    {
        var nodes = JsonNode.Parse(await api.GetStringAsync("/api/v1/nodes"))!["items"]!.AsArray();
        return nodes.Count(n => n!["status"]?["conditions"]?.AsArray()
            .Any(c => c!["type"]!.GetValue<string>() == "Ready" && c["status"]!.GetValue<string>() == "True") == true);
    }

    /// <summary>The process's peak resident memory (VmHWM from /proc), "?" once it is gone.</summary>
    public static string PeakRss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
            return line is null ? "?" : $"{long.Parse(line.Split(':')[1].Trim().Split(' ')[0]) / 1024:N0} MB";
        }
        catch (IOException) { return "?"; }
    }
}
