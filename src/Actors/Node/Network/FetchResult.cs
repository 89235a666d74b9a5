using Akka.KubeEmu.Actors.Node.Network.Http;

namespace Akka.KubeEmu.Actors.Node.Network;

/// <summary>How an HTTP request a pod sent ended, as its client (curl, wget) tells the cases apart.</summary>
public enum FetchOutcome
{
    /// <summary>The server answered.</summary>
    Answered,

    /// <summary>Connection refused (RST to the SYN, or kube-proxy's REJECT).</summary>
    Refused,

    /// <summary>Connected, then reset before an answer came.</summary>
    Reset,

    /// <summary>Nothing came back in time.</summary>
    TimedOut,
}

/// <param name="Elapsed">What the attempt took (curl prints it in its errors).</param>
/// <param name="Connected">The connection was established before the outcome (curl's timeout wording differs).</param>
public sealed record FetchResult(FetchOutcome Outcome, HttpResponse? Response, TimeSpan Elapsed, bool Connected = false);

/// <summary>One HTTP request a pod's program sends to an address of the cluster network.</summary>
/// <param name="ClientIp">The pod's address: the source the server sees, and the key of session affinity.</param>
/// <param name="ClientNode">The pod's node.</param>
/// <param name="Timeout">How long the client waits at most (curl --max-time, or its defaults).</param>
public sealed record FetchRequest(string ClientIp, string ClientNode, string Ip, int Port, HttpRequestHead Request, TimeSpan Timeout);
