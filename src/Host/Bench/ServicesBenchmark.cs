using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Host.Bench;

/// <param name="Connections">Concurrent keep-alive connections, each sending one request after the other.</param>
/// <param name="NginxUrl">A local nginx to compare with (Debian's: apt-get install nginx); skipped when it does not answer.</param>
public sealed record ServicesBenchOptions(int Connections, TimeSpan Duration, string NginxUrl, string? ConfigFile, TimeSpan Timeout);

/// <summary>
/// `kubeemu bench services`: HTTP GET / with keep-alive through a NodePort to 3 nginx pods (kube-proxy's
/// listener, then the pod network, then the pod's simulated nginx), the same load straight to one pod
/// over the pod network (no kube-proxy: what a port-forward or a pod-to-pod request costs), and a
/// local nginx when one answers; requests/s, p50 and p99.
/// </summary>
public sealed class ServicesBenchmark(ServicesBenchOptions options, TextWriter output)
{
    private const string Namespace = "default";

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public async Task<int> Run(CancellationToken ct)
    {
        var cluster = BenchCluster.Create(2, "fast", options.ConfigFile);
        await using var killOnCancel = ct.Register(cluster.KillAll);
        try
        {
            output.WriteLine(BenchMachine.Describe());
            output.WriteLine($"load average: {BenchMachine.LoadAverage()}; {options.Connections} connections, {options.Duration.TotalSeconds:F0} s per run");
            using var api = await cluster.StartControlPlane(options.Timeout, ct);
            cluster.StartNodes();
            await Until(async () => (await api.CoreV1.ListNodeAsync(cancellationToken: ct)).Items
                .Count(n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true) == 2, "2 nodes Ready", ct);
            await api.AppsV1.CreateNamespacedDeploymentAsync(Deployment(), Namespace, cancellationToken: ct);
            var service = await api.CoreV1.CreateNamespacedServiceAsync(new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = new V1ObjectMeta { Name = "bench-nginx" },
                Spec = new V1ServiceSpec { Type = "NodePort", Selector = new Dictionary<string, string> { ["app"] = "bench-nginx" }, Ports = [new V1ServicePort { Port = 80 }] },
            }, Namespace, cancellationToken: ct);
            await Until(async () => (await api.CoreV1.ReadNamespacedEndpointsAsync("bench-nginx", Namespace, cancellationToken: ct))
                .Subsets?.Sum(s => s.Addresses?.Count ?? 0) == 3, "3 ready endpoints", ct);
            var nodes = (await api.CoreV1.ListNodeAsync(cancellationToken: ct)).Items;
            var nodeIp = nodes[0].Status.Addresses.First(a => a.Type == "InternalIP").Address;
            var nodePort = service.Spec.Ports[0].NodePort!.Value;
            var endpoints = await api.CoreV1.ReadNamespacedEndpointsAsync("bench-nginx", Namespace, cancellationToken: ct);
            var pod = endpoints.Subsets[0].Addresses[0];
            var tunnel = nodes.First(n => n.Metadata.Name == pod.NodeName).Metadata.Annotations["kubeemu.io/pod-network"];
            var nodePortUrl = $"http://{nodeIp}:{nodePort}/";
            // The listeners open as the endpoints reach each node process.
            await Until(() => Answers(nodePortUrl, ct), "the NodePort answering", ct);

            var direct = (IPEndPoint.Parse(tunnel), $"{pod.Ip} 80 127.0.0.1:1\n");
            // Unmeasured first: the node processes' code is still cold (tiered JIT) and the cluster still busy
            // with the pods it just started, which made whichever target ran first look several times slower.
            await Load("warm-up NodePort", nodePortUrl, null, ct, WarmUp);
            await Load("warm-up direct", "http://pod/", direct, ct, WarmUp);
            var results = new List<LatencyStats>
            {
                await Load($"NodePort {nodeIp}:{nodePort} -> 3 pods", nodePortUrl, null, ct),
                await Load($"direct to pod {pod.Ip}:80 (pod network)", "http://pod/", direct, ct),
            };
            if (await Answers(options.NginxUrl, ct)) results.Add(await Load($"local nginx {options.NginxUrl}", options.NginxUrl, null, ct));
            else output.WriteLine($"no nginx answers at {options.NginxUrl} (apt-get install -y nginx to compare)");

            output.WriteLine();
            output.WriteLine($"{"target",-48} {"req/s",10} {"p50 ms",8} {"p99 ms",8} {"errors",7}");
            foreach (var r in results) output.WriteLine($"{r.Name,-48} {r.PerSecond,10:F0} {r.P50Ms,8:F2} {r.P99Ms,8:F2} {r.Errors,7}");
            if (results.Count > 2) output.WriteLine($"NodePort / local nginx: {results[0].PerSecond / results[2].PerSecond:F2} (target >= 0.5)");
            output.WriteLine($"NodePort / direct: {results[0].PerSecond / results[1].PerSecond:F2}");
            return 0;
        }
        catch when (!ct.IsCancellationRequested)
        {
            output.WriteLine($"the run failed; logs in {cluster.Logs}");
            throw;
        }
        finally
        {
            cluster.KillAll();
        }
    }

    private static V1Deployment Deployment() => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = "bench-nginx" },
        Spec = new V1DeploymentSpec
        {
            Replicas = 3,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "bench-nginx" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "bench-nginx" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "nginx", Image = "nginx" }] },
            },
        },
    };

    private async Task Until(Func<Task<bool>> condition, string what, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > options.Timeout) throw new TimeoutException($"not {what} within {options.Timeout.TotalSeconds:F0} s");
            await Task.Delay(200, ct);
        }
        output.WriteLine($"{what} after {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<bool> Answers(string url, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try { return (await http.GetAsync(url, ct)).IsSuccessStatusCode; }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return false; }
    }

    /// <summary>Each connection its own client, one request at a time; a tunnel writes the pod network's line first.</summary>
    private async Task<LatencyStats> Load(string name, string url, (IPEndPoint Endpoint, string Preamble)? tunnel, CancellationToken ct, TimeSpan? duration = null)
    {
        var latencies = new List<double>[options.Connections];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var until = clock.Elapsed + (duration ?? options.Duration);
        await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(async i =>
        {
            var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false };
            if (tunnel is { } t)
                handler.ConnectCallback = async (_, token) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(t.Endpoint, token);
                    await socket.SendAsync(Encoding.ASCII.GetBytes(t.Preamble), SocketFlags.None, token);
                    return new NetworkStream(socket, ownsSocket: true);
                };
            using var http = new HttpClient(handler);
            var mine = latencies[i] = new List<double>(100_000);
            while (clock.Elapsed < until && !ct.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync(url, ct);
                    await response.Content.ReadAsByteArrayAsync(ct);
                    if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var stats = LatencyStats.From(name, latencies.SelectMany(l => l).ToArray(), clock.Elapsed, errors);
        output.WriteLine($"{name}: {stats.PerSecond:F0} req/s");
        return stats;
    }
}
