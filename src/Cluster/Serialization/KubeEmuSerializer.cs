using System.Collections.Frozen;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using SerializationException = System.Runtime.Serialization.SerializationException;

namespace Akka.KubeEmu.Cluster.Serialization;

/// <summary>
/// The serializer bound to <see cref="IKubeEmuMessage"/>: JSON through source-generated
/// metadata for the explicitly registered types only (or a registered type's own
/// <see cref="IWireCodec"/>). An unregistered type is an error at
/// the sender, never a silent fallback to a reflection-based serializer.
/// </summary>
public sealed class KubeEmuSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 4711;

    private readonly FrozenDictionary<Type, MessageType> _byType;
    private readonly FrozenDictionary<string, MessageType> _byManifest;

    public KubeEmuSerializer(ExtendedActorSystem system) : this(system, LoadCatalogs(system))
    {
    }

    public KubeEmuSerializer(ExtendedActorSystem system, IEnumerable<IMessageCatalog> catalogs) : base(system)
    {
        var all = catalogs.SelectMany(c => c.Messages).ToArray();
        var duplicate = all.GroupBy(m => m.Manifest).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"manifest '{duplicate.Key}' is registered twice");
        _byType = all.ToFrozenDictionary(m => m.Type);
        _byManifest = all.ToFrozenDictionary(m => m.Manifest);
    }

    public override int Identifier => SerializerId;

    public IEnumerable<MessageType> Registered => _byManifest.Values;

    public override string Manifest(object o) => Find(o.GetType()).Manifest;

    public override byte[] ToBinary(object obj)
    {
        var type = Find(obj.GetType());
        return type.Codec is { } codec ? codec.Write(obj) : JsonSerializer.SerializeToUtf8Bytes(obj, type.TypeInfo);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!_byManifest.TryGetValue(manifest, out var type))
            throw new SerializationException($"unknown KubeEmu message manifest '{manifest}'");
        if (type.Codec is { } codec) return codec.Read(bytes);
        return JsonSerializer.Deserialize(bytes, type.TypeInfo)
               ?? throw new SerializationException($"null payload for manifest '{manifest}'");
    }

    private MessageType Find(Type type) => _byType.TryGetValue(type, out var m)
        ? m
        : throw new SerializationException($"{type.FullName} implements IKubeEmuMessage but no IMessageCatalog registers it");

    private static IEnumerable<IMessageCatalog> LoadCatalogs(ExtendedActorSystem system)
    {
        var names = system.Settings.Config.GetStringList("kubeemu.serialization.catalogs", []);
        foreach (var name in names)
        {
            var type = Type.GetType(name, throwOnError: true)!;
            yield return (IMessageCatalog)Activator.CreateInstance(type)!;
        }
    }
}
