using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Node.Agent;

namespace Akka.KubeEmu.Host.ApiServer.Handlers;

/// <summary>
/// Where the API server reaches a node's kubelet (pods/log, exec, attach): its actor in the node
/// process the Node's kubeemu.io/akka-address annotation names (null when the Node has none), and
/// the host:port kube-apiserver would dial, which its error messages quote.
/// </summary>
public sealed record KubeletLocation(ActorSelection? Kubelet, string DialHost)
{
    public static async Task<KubeletLocation> Of(ApiServerServices services, string nodeName)
    {
        var node = await services.Rest.Get(ResourceCatalog.Nodes, "", nodeName);
        var nodeObj = node.Body is { } body ? KubeObject.Parse(body.Utf8) : null;
        var address = KubeObject.String(KubeObject.At(nodeObj, "metadata.annotations"), NodeObject.AkkaAddressAnnotation);
        var ip = (KubeObject.At(nodeObj, "status.addresses") as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(a => KubeObject.String(a, "type") == "InternalIP") is { } internalIp ? KubeObject.String(internalIp, "address") : null;
        var kubelet = address is null ? null : services.System.ActorSelection($"{address}/user/node-host/kubelet-{nodeName}");
        return new KubeletLocation(kubelet, $"{ip ?? "127.0.0.1"}:10250");
    }
}
