using System.Text.Json.Serialization;
using Akka.KubeEmu.Cluster.Identity;

namespace Akka.KubeEmu.Cluster.Serialization;

/// <summary>The manifests of this assembly's cross-process messages; every process loads it.</summary>
public sealed class ClusterMessageCatalog : IMessageCatalog
{
    private static readonly ClusterJsonContext Json = ClusterJsonContext.Default;

    public IEnumerable<MessageType> Messages =>
    [
        new("cluster.identity.query", Json.IdentityQuery),
        new("cluster.identity.answer", Json.IdentityAnswer),
    ];
}

[JsonSerializable(typeof(IdentityQuery))]
[JsonSerializable(typeof(IdentityAnswer))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
