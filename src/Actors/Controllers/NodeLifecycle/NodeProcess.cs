using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.NodeLifecycle;

/// <summary>
/// Which process hosts a Node: the kubelet publishes its process's Akka address as an annotation,
/// and controllers that act on membership news (which names processes, not nodes) index the
/// nodes by it.
/// </summary>
public static class NodeProcess
{
    /// <summary>The annotation the kubelet writes (<see cref="Node.Agent.NodeObject"/>).</summary>
    public const string AddressAnnotation = Node.Agent.NodeObject.AkkaAddressAnnotation;

    /// <summary>The name of the nodes' index by process address.</summary>
    public const string AddressIndex = "kubeemu.io/akka-address";

    public static string? Address(V1Node node) =>
        node.Metadata?.Annotations?.TryGetValue(AddressAnnotation, out var a) == true ? a : null;

    /// <summary>Adds the index (once per shared informer: adding it again is a no-op).</summary>
    public static void AddIndex(Indexer<V1Node> nodes) =>
        nodes.AddIndexer(AddressIndex, n => Address(n) is { } a ? [a] : []);
}
