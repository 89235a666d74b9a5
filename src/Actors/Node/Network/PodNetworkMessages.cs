using Akka.KubeEmu.Actors.Node.Network.Http;

namespace Akka.KubeEmu.Actors.Node.Network;

// Asked of a PodWorker by the pod network of its own process (the bytes cross processes as TCP,
// never as Akka messages), so these are local messages.

/// <summary>A connection to <paramref name="Port"/> of the pod: does anything listen there?</summary>
public sealed record PodConnect(int Port);

/// <summary>What listens on a pod's port.</summary>
public enum PodListener { None, Http, Opaque }

public sealed record PodConnectAnswer(PodListener Listener);

/// <summary>One HTTP request to the pod's server on <paramref name="Port"/>.</summary>
/// <param name="RemoteAddress">ip:port of the client as the pod sees it.</param>
public sealed record PodHttpRequest(int Port, HttpRequestHead Request, string RemoteAddress);

/// <summary>The server's answer; null when nothing listens there any more (the connection is reset).</summary>
public sealed record PodHttpAnswer(HttpResponse? Response);

/// <summary>
/// A MySQL client's batch (`mysql -h other-pod -e SQL`) for the server listening on <paramref name="Port"/>:
/// the simulated protocol carries the statements, not MySQL's wire format.
/// </summary>
public sealed record PodMysqlQuery(int Port, string Sql, string? Database, bool ColumnNames, bool Table = false);

/// <summary>The server's answer: what the client prints, its exit status; nothing listening: not <paramref name="Listening"/>.</summary>
public sealed record PodMysqlAnswer(bool Listening, int Status, string Output, string? Error);

/// <summary>One UDP datagram to the pod's <paramref name="Port"/>, from <paramref name="RemoteAddress"/> (ip:port as the pod sees it).</summary>
public sealed record PodDatagram(int Port, byte[] Payload, string RemoteAddress);

/// <summary>
/// The pod's answer to a datagram: nothing listening (the kernel's ICMP port unreachable), or listening
/// with the datagram it sends back, if any.
/// </summary>
public sealed record PodDatagramAnswer(bool Listening, byte[]? Reply);
