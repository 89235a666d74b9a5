using System.Text;
using Akka.KubeEmu.Actors.Node.Network;
using Akka.KubeEmu.Actors.Node.Network.Http;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

// curl and busybox wget: to the pod itself (localhost, its IP, its hostname: the containers share the
// network namespace) at once; to a Service name, a cluster IP or another pod's IP through the
// cluster network, which the script waits for (ProcessStep.Await) so its actor is never blocked.
internal sealed partial class ShellInterpreter
{
    /// <summary>Linux gives up a connection whose SYNs go unanswered after about this long (tcp_syn_retries 6).</summary>
    internal static readonly TimeSpan KernelConnectTimeout = TimeSpan.FromSeconds(130);

    /// <summary>$(...) runs at once: it cannot wait for the network.</summary>
    internal bool Synchronous { get; set; }

    internal bool CanWait => _host.Waits is not null && !Synchronous;

    private IEnumerable<ProcessStep> Fetch(FetchOptions options, ContainerNetwork network)
    {
        Status = 0;
        foreach (var url in options.Urls)
        {
            var target = FetchTarget.Parse(url);
            var request = new HttpRequestHead("GET", target.Path, "HTTP/1.1",
                [new("Host", target.HostHeader), new("User-Agent", options.Curl ? "curl/8.11.1" : "Wget"), new("Accept", "*/*")]);
            FetchResult result;
            if (target.Host is "localhost" or "127.0.0.1" || target.Host == network.PodIp || target.Host == _host.Hostname)
            {
                var local = network.Local!(target.Port, request);
                result = new FetchResult(local is null ? FetchOutcome.Refused : FetchOutcome.Answered, local, TimeSpan.Zero);
            }
            else
            {
                // Outside what this shell can reach (a probe, $(...), traffic off): it succeeds quietly, as before.
                if (!CanWait || network.Cluster is null || network.Dns is null || network.PodIp is null) continue;
                if (Address(target.Host, network) is not { } ip)
                {
                    Status = options.Curl ? 6 : 1;
                    if (ShowsErrors(options))
                        Stderr.Write(options.Curl ? $"curl: (6) Could not resolve host: {target.Host}\n" : $"wget: bad address '{target.Host}'\n");
                    continue;
                }
                var timeout = options.MaxTime ?? options.ConnectTimeout ?? KernelConnectTimeout;
                var pending = network.Cluster(new FetchRequest(network.PodIp, network.NodeName, ip, target.Port, request, timeout), _host.Waits!.Value);
                yield return new ProcessStep.Await(pending);
                if (!pending.IsCompletedSuccessfully) continue;
                result = pending.Result;
                target = target with { Ip = ip };
            }
            Status = Report(options, target, result);
        }
    }

    /// <summary>The address a name resolves to through the pod's resolv.conf (an ExternalName's CNAME followed once); null: unknown.</summary>
    private static string? Address(string host, ContainerNetwork network)
    {
        if (System.Net.IPAddress.TryParse(host, out _)) return host;
        var answer = network.Dns!.Resolve(host, network.Namespace);
        if (answer is { Addresses.Count: 0, CanonicalName: { } cname }) answer = network.Dns.Resolve(cname + ".", network.Namespace);
        return answer?.Addresses.FirstOrDefault();
    }

    private static bool ShowsErrors(FetchOptions options) => !options.Curl || !options.Silent || options.ShowError;

    /// <summary>Prints what curl or wget prints for <paramref name="result"/>; the exit code.</summary>
    private int Report(FetchOptions options, FetchTarget target, FetchResult result)
    {
        var ms = (long)result.Elapsed.TotalMilliseconds;
        var errors = ShowsErrors(options);
        var address = target.Ip ?? (target.Host == "localhost" ? "127.0.0.1" : target.Host);
        switch (result.Outcome)
        {
            case FetchOutcome.Refused:
                if (errors)
                    Stderr.Write(options.Curl
                        ? $"curl: (7) Failed to connect to {target.Host} port {target.Port} after {ms} ms: Couldn't connect to server\n"
                        : $"wget: can't connect to remote host ({address}): Connection refused\n");
                return options.Curl ? 7 : 1;
            case FetchOutcome.Reset:
                if (errors) Stderr.Write(options.Curl ? "curl: (56) Recv failure: Connection reset by peer\n" : "wget: error getting response: Connection reset by peer\n");
                return options.Curl ? 56 : 1;
            case FetchOutcome.TimedOut:
                if (errors) Stderr.Write(TimeoutMessage(options, target, address, result.Connected, ms));
                return options.Curl ? 28 : 1;
        }
        var response = result.Response!;
        return options.Curl ? CurlAnswer(options, target, response) : WgetAnswer(options, target, response);
    }

    private static string TimeoutMessage(FetchOptions options, FetchTarget target, string address, bool connected, long ms)
    {
        if (!options.Curl) return connected ? "wget: download timed out\n" : $"wget: can't connect to remote host ({address}): Connection timed out\n";
        if (connected) return $"curl: (28) Operation timed out after {ms} milliseconds with 0 bytes received\n";
        if (options.MaxTime is not null) return $"curl: (28) Connection timed out after {ms} milliseconds\n";
        return options.ConnectTimeout is not null
            ? $"curl: (28) Failed to connect to {target.Host} port {target.Port} after {ms} ms: Timeout was reached\n"
            : $"curl: (28) Failed to connect to {target.Host} port {target.Port} after {ms} ms: Couldn't connect to server\n";
    }

    private int CurlAnswer(FetchOptions options, FetchTarget target, HttpResponse response)
    {
        if (options.Fail && response.Status >= 400)
        {
            if (!options.Silent || options.ShowError) Stderr.Write($"curl: (22) The requested URL returned error: {response.Status}\n");
            return 22;
        }
        string text;
        if (options.Head) text = Encoding.UTF8.GetString(response.Serialize("HTTP/1.1", true, head: true)).Replace("Connection: keep-alive\r\n", "");
        else if (options.Include) text = Encoding.UTF8.GetString(response.Serialize("HTTP/1.1", true, head: false));
        else text = response.BodyText;
        var file = options.Output ?? (options.RemoteName ? target.FileName : null);
        if (file is null or "-") Stdout.Write(text);
        else Save(file, text);
        return 0;
    }

    private int WgetAnswer(FetchOptions options, FetchTarget target, HttpResponse response)
    {
        if (response.Status >= 400)
        {
            Stderr.Write($"wget: server returned error: HTTP/1.1 {response.Status} {response.Reason}\n");
            return 1;
        }
        if (options.Head) return 0; // --spider: only checks
        var file = options.Output ?? target.FileName;
        if (file == "-") Stdout.Write(response.BodyText);
        else Save(file, response.BodyText);
        return 0;
    }

    private void Save(string file, string text)
    {
        var (tree, rel) = _host.Files.Resolve(file, Cwd);
        tree.Write(rel, text, append: false);
    }
}

/// <summary>A URL as curl and wget split it: host, port (80 unless given), path, and the Host header they send.</summary>
internal sealed record FetchTarget(string Host, int Port, string Path, string HostHeader, string? Ip = null)
{
    /// <summary>The name wget and curl -O save under: the last path segment, index.html for a directory.</summary>
    public string FileName => Path.Split('?')[0].Split('/')[^1] is { Length: > 0 } last ? last : "index.html";

    public static FetchTarget Parse(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var slash = rest.IndexOfAny(['/', '?']);
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "/" : rest[slash] == '?' ? "/" + rest[slash..] : rest[slash..];
        var colon = authority.LastIndexOf(':');
        var host = colon < 0 ? authority : authority[..colon];
        var port = colon < 0 ? 80 : int.TryParse(authority[(colon + 1)..], out var p) ? p : 80;
        // The default port is left out of the Host header, as curl and wget do.
        return new FetchTarget(host, port, path, port == 80 ? host : $"{host}:{port}");
    }
}
