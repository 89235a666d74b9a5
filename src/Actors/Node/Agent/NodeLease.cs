using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Node.Agent;

/// <summary>The kube-node-lease/&lt;node&gt; Lease, as the kubelet's lease controller keeps it.</summary>
public static class NodeLease
{
    public const string Resource = "leases.coordination.k8s.io";
    public const string Namespace = "kube-node-lease";

    public static JsonObject New(NodeContext node, string? nodeUid)
    {
        var lease = new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = node.NodeName, ["namespace"] = Namespace },
            ["spec"] = new JsonObject(),
        };
        return Renewed(lease, node, nodeUid);
    }

    /// <summary>A copy of <paramref name="stored"/> held by this node and renewed now (its resourceVersion kept as the precondition).</summary>
    public static JsonObject Renewed(JsonObject stored, NodeContext node, string? nodeUid)
    {
        var lease = stored.DeepClone().AsObject();
        var spec = KubeObject.EnsureObject(lease, "spec");
        spec["holderIdentity"] = node.NodeName;
        spec["leaseDurationSeconds"] = (long)node.Timing.NodeLeaseDuration.TotalSeconds;
        spec["renewTime"] = KubeObject.MicroTimestamp(node.Now);
        var meta = KubeObject.Metadata(lease);
        // The Node owns its lease, so the garbage collector removes the lease with the Node.
        if (nodeUid is not null && meta["ownerReferences"] is not JsonArray { Count: > 0 })
            meta["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["name"] = node.NodeName,
                ["uid"] = nodeUid,
            });
        return lease;
    }
}
