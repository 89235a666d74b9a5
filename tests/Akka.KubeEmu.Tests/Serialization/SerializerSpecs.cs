using System.Text.Json;
using Akka.KubeEmu.Actors.Serialization;
using Akka.KubeEmu.Cluster;
using Akka.KubeEmu.Cluster.Serialization;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Serialization;

public sealed class SerializerSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TempDir Dir = new();

    public SerializerSpecs() : base(TestConfigs.LocalWithStore(Dir.Path), "kubeemu") { }

    public static IEnumerable<object[]> Samples => MessageSamples.All.Select(m => new[] { m });

    [Fact]
    public void Every_cross_process_message_type_is_registered_and_has_a_sample()
    {
        var messageTypes = new[] { typeof(ActorsMessageCatalog).Assembly, typeof(IKubeEmuMessage).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => typeof(IKubeEmuMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToHashSet();
        var registered = new ActorsMessageCatalog().Messages.Concat(new ClusterMessageCatalog().Messages).Select(m => m.Type).ToHashSet();
        var sampled = MessageSamples.All.Select(s => s.GetType()).ToHashSet();

        Assert.Empty(messageTypes.Except(registered).Select(t => t.FullName));
        Assert.Empty(messageTypes.Except(sampled).Select(t => t.FullName));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Message_round_trips_through_the_serializer_Akka_picks_for_it(object message)
    {
        var serialization = Sys.Serialization;
        var serializer = serialization.FindSerializerFor(message);
        Assert.IsType<KubeEmuSerializer>(serializer);

        var bytes = serializer.ToBinary(message);
        var manifest = ((KubeEmuSerializer)serializer).Manifest(message);
        var back = serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.Equal(message.GetType(), back.GetType());
        Assert.Equal(Json(message), Json(back));
    }

    [Fact]
    public void Objects_travel_as_embedded_json_not_base64()
    {
        var message = MessageSamples.All.OfType<Akka.KubeEmu.Actors.Store.StoreObject>().First();
        var text = System.Text.Encoding.UTF8.GetString(Sys.Serialization.FindSerializerFor(message).ToBinary(message));
        Assert.Contains("\"kind\":\"Pod\"", text);
    }

    // The wire forms of the hot messages: a damaged frame is an error at the receiver, never a wrong message.
    [Theory]
    [InlineData("truncated")]
    [InlineData("version")]
    [InlineData("trailing")]
    [InlineData("length")]
    public void A_damaged_wire_message_is_an_error_not_a_wrong_message(string damage)
    {
        var message = new Akka.KubeEmu.Actors.Store.UpdateObject("pods", new RawJson("{\"kind\":\"Pod\"}"u8.ToArray()), "status");
        var serializer = (KubeEmuSerializer)Sys.Serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        Assert.Equal(message, serializer.FromBinary(bytes, serializer.Manifest(message)));
        var damaged = damage switch
        {
            "truncated" => bytes[..^3],
            "version" => [(byte)9, .. bytes[1..]],
            "trailing" => [.. bytes, (byte)0],
            _ => [bytes[0], .. BitConverter.GetBytes(-5), .. bytes[5..]],
        };
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(damaged, serializer.Manifest(message)));
    }

    [Fact]
    public void An_unknown_manifest_is_an_error_not_a_guess()
    {
        var serializer = (KubeEmuSerializer)Sys.Serialization.FindSerializerForType(typeof(IKubeEmuMessage));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "no.such.manifest"));
    }

    // Records with list members compare by reference; compare their JSON instead.
    private static string Json(object o) => JsonSerializer.Serialize(o, o.GetType());
}
