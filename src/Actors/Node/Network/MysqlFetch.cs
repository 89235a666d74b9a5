namespace Akka.KubeEmu.Actors.Node.Network;

/// <summary>A MySQL client's batch for the server at <paramref name="Ip"/>:<paramref name="Port"/> (a pod, or a Service routed to one).</summary>
/// <param name="ClientIp">The client pod's address (Services route by it, as for HTTP).</param>
public sealed record MysqlFetch(string ClientIp, string ClientNode, string Ip, int Port, PodMysqlQuery Query, TimeSpan Timeout);

/// <summary>How the batch went: refused, timed out, or the server's answer.</summary>
public sealed record MysqlFetchResult(FetchOutcome Outcome, PodMysqlAnswer? Answer);
