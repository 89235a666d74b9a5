using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.KubeEmu.Actors.Node.Network.Http;
using Akka.KubeEmu.Actors.Node.Proxy;

namespace Akka.KubeEmu.Actors.Node.Network;

/// <summary>
/// The HTTP client side of a pod's network (what `curl` in a container does), one per node process:
/// the destination is routed as kube-proxy would (<see cref="ClusterRouter"/>), then a pod of this
/// process is asked directly (its PodWorker, no socket), and a pod of another process is reached
/// through that process's pod network, a real TCP connection, as NodePort traffic is. Never blocks
/// a thread: every wait is a task, ended by the request's timeout or the caller's cancellation.
/// </summary>
public sealed class PodClient(ClusterRouter router, PodNetwork local, TimeProvider time, TimeSpan requestTimeout)
{
    public async Task<FetchResult> Fetch(FetchRequest fetch, CancellationToken cancel)
    {
        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(fetch.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeout.Token);
        var connected = false;
        FetchResult Result(FetchOutcome outcome, HttpResponse? response = null) => new(outcome, response, time.GetElapsedTime(started), connected);
        try
        {
            var route = router.Route(fetch.Ip, fetch.Port, fetch.ClientIp, fetch.ClientNode);
            switch (route)
            {
                case ClusterRoute.Rejected:
                    return Result(FetchOutcome.Refused);
                case ClusterRoute.ToPod { Backend: var backend }:
                    // The server sees the pod's own address: traffic inside the cluster is not masqueraded.
                    var remote = $"{fetch.ClientIp}:{EphemeralPort()}";
                    if (local.Find(backend.Ip) is { } worker)
                    {
                        var listener = await worker.Ask<PodConnectAnswer>(new PodConnect(backend.Port), requestTimeout, linked.Token);
                        if (listener.Listener == PodListener.None) return Result(FetchOutcome.Refused);
                        connected = true;
                        if (listener.Listener == PodListener.Http)
                        {
                            var answer = await worker.Ask<PodHttpAnswer>(new PodHttpRequest(backend.Port, fetch.Request, remote), requestTimeout, linked.Token);
                            return answer.Response is { } response ? Result(FetchOutcome.Answered, response) : Result(FetchOutcome.Reset);
                        }
                        break; // a server that does not speak HTTP keeps the client waiting
                    }
                    if (backend.NodeName is null || router.PodNetworkOf(backend.NodeName) is not { } tunnel) return Result(FetchOutcome.Refused);
                    using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
                    {
                        await socket.ConnectAsync(tunnel, linked.Token);
                        await socket.SendAsync(Encoding.ASCII.GetBytes(PodNetwork.AcknowledgedPreamble(backend.Ip, backend.Port, remote)), SocketFlags.None, linked.Token);
                        var reader = new ConnectionReader(socket);
                        if (await reader.ReadLine(linked.Token) != PodNetwork.Accepted) return Result(FetchOutcome.Refused);
                        connected = true;
                        var response = await Exchange(socket, reader, fetch.Request, linked.Token);
                        return response is not null ? Result(FetchOutcome.Answered, response) : Result(FetchOutcome.Reset);
                    }
                case ClusterRoute.ToHost { Address: var address }:
                    // A NodePort or LoadBalancer address: kube-proxy's own listener (or nobody) answers.
                    using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
                    {
                        await socket.ConnectAsync(address, linked.Token);
                        connected = true;
                        var response = await Exchange(socket, new ConnectionReader(socket), fetch.Request, linked.Token);
                        return response is not null ? Result(FetchOutcome.Answered, response) : Result(FetchOutcome.Reset);
                    }
            }
            // Dropped, or a silent server: nothing comes until the client gives up.
            await Task.Delay(Timeout.InfiniteTimeSpan, time, linked.Token);
            return Result(FetchOutcome.TimedOut);
        }
        catch (OperationCanceledException)
        {
            return Result(FetchOutcome.TimedOut);
        }
        catch (AskTimeoutException)
        {
            // The pod network resets a connection whose pod does not answer in time.
            return Result(connected ? FetchOutcome.Reset : FetchOutcome.Refused);
        }
        catch (SocketException)
        {
            return Result(connected ? FetchOutcome.Reset : FetchOutcome.Refused);
        }
        catch (IOException)
        {
            return Result(connected ? FetchOutcome.Reset : FetchOutcome.Refused);
        }
    }

    /// <summary>
    /// A MySQL client's batch: routed as <see cref="Fetch"/> routes (a Service to one of its pods), then
    /// run by the pod's server, asked directly in this process or over the other process's pod network.
    /// </summary>
    public async Task<MysqlFetchResult> Query(MysqlFetch fetch, CancellationToken cancel)
    {
        using var timeout = new CancellationTokenSource(fetch.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeout.Token);
        try
        {
            if (router.Route(fetch.Ip, fetch.Port, fetch.ClientIp, fetch.ClientNode) is not ClusterRoute.ToPod { Backend: var backend })
                return new MysqlFetchResult(FetchOutcome.Refused, null);
            PodMysqlAnswer? answer;
            var query = fetch.Query with { Port = backend.Port };
            if (local.Find(backend.Ip) is { } worker) answer = await worker.Ask<PodMysqlAnswer>(query, requestTimeout, linked.Token);
            else if (backend.NodeName is not null && router.PodNetworkOf(backend.NodeName) is { } tunnel)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(tunnel, linked.Token);
                await socket.SendAsync(Encoding.UTF8.GetBytes(PodNetwork.MysqlPreamble(backend.Ip, backend.Port, $"{fetch.ClientIp}:{EphemeralPort()}")
                    + MysqlWire.Encode(query) + "\n"), SocketFlags.None, linked.Token);
                answer = MysqlWire.DecodeAnswer(await new ConnectionReader(socket).ReadLine(linked.Token));
            }
            else answer = null;
            return answer is { Listening: true } ? new MysqlFetchResult(FetchOutcome.Answered, answer) : new MysqlFetchResult(FetchOutcome.Refused, null);
        }
        catch (OperationCanceledException)
        {
            return new MysqlFetchResult(FetchOutcome.TimedOut, null);
        }
        catch (Exception e) when (e is AskTimeoutException or SocketException or IOException)
        {
            return new MysqlFetchResult(FetchOutcome.Refused, null);
        }
    }

    /// <summary>Sends the request and reads one response (its Content-Length of body); null when the server closed first.</summary>
    private static async Task<HttpResponse?> Exchange(Socket socket, ConnectionReader reader, HttpRequestHead request, CancellationToken cancel)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes(request + "\r\n"), SocketFlags.None, cancel);
        var head = await reader.ReadHead(cancel);
        if (head is null) return null;
        var length = HttpResponse.Parse(head, [])?.Header("Content-Length") is { } l && int.TryParse(l, out var n) ? n : 0;
        return HttpResponse.Parse(head, await reader.Read(length, cancel));
    }

    private static int EphemeralPort() => Random.Shared.Next(32768, 61000);
}
