using System.Text.Json.Serialization.Metadata;

namespace Akka.KubeEmu.Cluster.Serialization;

/// <summary>
/// A message type with the stable manifest it is written under, as JSON, or in its own binary form
/// when it has a <paramref name="Codec"/> (wire messages only, never journal events).
/// </summary>
public sealed record MessageType(string Manifest, JsonTypeInfo TypeInfo, IWireCodec? Codec = null)
{
    public Type Type => TypeInfo.Type;
}

/// <summary>
/// Lists the <see cref="IKubeEmuMessage"/> types of one assembly. Catalogs are named in
/// <c>kubeemu.serialization.catalogs</c>; a manifest, once used, never changes meaning, because
/// journals written by older versions must stay readable.
/// </summary>
public interface IMessageCatalog
{
    IEnumerable<MessageType> Messages { get; }
}
