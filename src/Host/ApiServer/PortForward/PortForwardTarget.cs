using System.Security.Cryptography;
using System.Text;

namespace Akka.KubeEmu.Host.ApiServer.PortForward;

/// <summary>
/// The pod a port-forward reaches and the names the runtime's errors quote: containerd calls the pod
/// by its sandbox id (64 hex digits) and its network namespace by a CNI path; both are derived from
/// the pod's uid so that they stay the same for the pod's life.
/// </summary>
/// <param name="PodNetwork">host:port of the pod network listener of the node process hosting the pod (kubeemu.io/pod-network).</param>
/// <param name="PodIp">status.podIP; empty while the pod has no sandbox yet.</param>
public sealed record PortForwardTarget(string Namespace, string Name, string Uid, string PodIp, string PodNetwork)
{
    public string SandboxId => Hex("sandbox/" + Uid);

    public string NetworkNamespace
    {
        get
        {
            var hex = Hex("netns/" + Uid);
            return $"/var/run/netns/cni-{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
        }
    }

    /// <summary>
    /// What the kubelet writes on the error stream when nothing listens on <paramref name="port"/>
    /// (kubelet's httpStreamHandler.portForward around containerd's PortForward: the pod is named by
    /// its sandbox id and the uid is empty there, hence "uid :"; the trailing space is containerd's).
    /// </summary>
    public string Refused(int port) =>
        $"error forwarding port {port} to pod {SandboxId}, uid : failed to execute portforward in network namespace \"{NetworkNamespace}\": " +
        $"failed to connect to localhost:{port} inside namespace \"{SandboxId}\", IPv4: dial tcp4 127.0.0.1:{port}: connect: connection refused " +
        $"IPv6 dial tcp6 [::1]:{port}: connect: connection refused ";

    private static string Hex(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));
}
