using Akka.KubeEmu.Actors.Node.Dns;
using Akka.KubeEmu.Actors.Node.Network;
using Akka.KubeEmu.Actors.Node.Network.Http;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

/// <summary>
/// The network a container's shell sees: the cluster DNS with its pod's search list, and the pod's
/// own network namespace (its containers share it: `curl localhost` reaches a sibling's server).
/// </summary>
/// <param name="Namespace">The pod's namespace (its resolv.conf search list).</param>
/// <param name="Dns">The cluster DNS of the node process; null: names do not resolve.</param>
/// <param name="Local">Answers an HTTP request to a port of the pod itself (null when nothing listens there).</param>
/// <param name="PodIp">The pod's address: requests to it are local too.</param>
/// <param name="LocalListener">The process of the pod that listens on a port (a sibling's mysqld), null when none does.</param>
/// <param name="Cluster">Sends a request to another address of the cluster (a Service, another pod) and completes
/// with its outcome; null: the shell does not reach beyond its pod.</param>
/// <param name="NodeName">The pod's node (Services with internalTrafficPolicy Local).</param>
/// <param name="Listeners">Every TCP port the pod's running containers listen on, with the process listening (netstat, ss).</param>
public sealed record ContainerNetwork(
    string Namespace,
    ClusterDns? Dns,
    Func<int, HttpRequestHead, HttpResponse?>? Local,
    string? PodIp,
    Func<int, ContainerProcess?>? LocalListener = null,
    Func<FetchRequest, CancellationToken, Task<FetchResult>>? Cluster = null,
    string NodeName = "",
    Func<IReadOnlyList<PortListener>>? Listeners = null)
{
    /// <summary>Runs a MySQL client's batch on another pod's server (through a Service or not); null: not reachable.</summary>
    public Func<MysqlFetch, CancellationToken, Task<MysqlFetchResult>>? Mysql { get; init; }
}

/// <summary>A TCP port something in the pod listens on, and the container process that does.</summary>
public sealed record PortListener(int Port, ContainerProcess Process);
