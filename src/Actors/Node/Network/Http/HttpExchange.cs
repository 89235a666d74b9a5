using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

namespace Akka.KubeEmu.Actors.Node.Network.Http;

/// <summary>
/// What a simulated server knows when a request reaches it: the program answering (its image's
/// repository and arguments, its files), the pod's name and address, and who is asking.
/// </summary>
/// <param name="Repository">The image's familiar repository ("nginx", "traefik/whoami").</param>
/// <param name="Args">The container's command and args (http-echo's -text=...).</param>
/// <param name="Status">What the program answers for the path (200, or 404 where the image serves nothing there).</param>
/// <param name="Files">The answering container's file system.</param>
/// <param name="RemoteAddress">The client as the pod sees it (ip:port, after kube-proxy's masquerade).</param>
public sealed record HttpExchange(
    string Repository,
    IReadOnlyList<string> Args,
    int Status,
    string? HttpRoot,
    ContainerFileSystem Files,
    string Hostname,
    string PodIp,
    int Port,
    string RemoteAddress,
    DateTimeOffset Now);
