using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Protobuf;
using Xunit;

namespace Akka.KubeEmu.Tests.Protobuf;

/// <summary>Request bodies in application/vnd.kubernetes.protobuf, as typed clients (kubectl create, run) send them.</summary>
public sealed class ProtobufBodySpecs
{
    // Field numbers from k8s.io/api and k8s.io/apimachinery generated.proto (v0.32).
    private static ProtoBuilder ObjectMeta(string name) => new ProtoBuilder()
        .String(1, name)
        .Message(8, new ProtoBuilder())                       // creationTimestamp: the zero Time
        .Entry(11, "app", name);                              // labels

    private static ProtoBuilder Deployment() => new ProtoBuilder()
        .Message(1, ObjectMeta("web"))
        .Message(2, new ProtoBuilder()                        // DeploymentSpec
            .Varint(1, 0)                                     // replicas: *int32, an explicit 0
            .Message(2, new ProtoBuilder().Entry(1, "app", "web"))
            .Message(3, new ProtoBuilder()                    // PodTemplateSpec
                .Message(1, ObjectMeta("web"))
                .Message(2, new ProtoBuilder()                // PodSpec
                    .Message(2, new ProtoBuilder()            // Container
                        .String(1, "nginx")
                        .String(2, "nginx:1.27")
                        .String(4, "--port").String(4, "80")
                        .Message(6, new ProtoBuilder().String(1, "").Varint(3, 80))
                        .Message(8, new ProtoBuilder().Entry(1, "cpu", new ProtoBuilder().String(1, "500m")))
                        .Message(19, new ProtoBuilder().Message(2, new ProtoBuilder().Message(1, new ProtoBuilder().String(1, "settings")))))
                    .Varint(11, 0)))                          // hostNetwork: omitempty bool, false
            .Message(4, new ProtoBuilder()                    // DeploymentStrategy
                .String(1, "RollingUpdate")
                .Message(2, new ProtoBuilder()
                    .Message(1, new ProtoBuilder().Varint(1, 0).Varint(2, 1))            // maxUnavailable: 1
                    .Message(2, new ProtoBuilder().Varint(1, 1).String(3, "25%")))));    // maxSurge: "25%"

    private static JsonObject Decode(byte[] body)
    {
        var (obj, error) = KubernetesProtobuf.Decode(body);
        Assert.True(error is null, error?.Message);
        return obj!;
    }

    [Fact]
    public void A_deployment_decodes_to_the_json_the_same_client_would_send()
    {
        var json = Decode(ProtoBuilder.Envelope("apps/v1", "Deployment", Deployment()));

        Assert.Equal("apps/v1", KubeObject.String(json, "apiVersion"));
        Assert.Equal("Deployment", KubeObject.String(json, "kind"));
        Assert.Equal("web", KubeObject.ScalarAt(json, "metadata.name"));
        Assert.Equal("web", KubeObject.ScalarAt(json, "metadata.labels.app"));
        Assert.Null(json["metadata"]!["creationTimestamp"]);
        Assert.Equal(0, KubeObject.Long(json["spec"]!["replicas"]));
        Assert.Equal("web", KubeObject.ScalarAt(json, "spec.selector.matchLabels.app"));

        var podSpec = json["spec"]!["template"]!["spec"]!.AsObject();
        Assert.False(podSpec.ContainsKey("hostNetwork"));
        var container = podSpec["containers"]!.AsArray().Single()!.AsObject();
        Assert.Equal("nginx:1.27", KubeObject.String(container, "image"));
        Assert.Equal(["--port", "80"], container["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        var port = container["ports"]!.AsArray().Single()!.AsObject();
        Assert.Equal(80, KubeObject.Long(port["containerPort"]));
        Assert.False(port.ContainsKey("name"));                                 // omitempty "" dropped
        Assert.Equal("500m", KubeObject.ScalarAt(container, "resources.limits.cpu"));
        Assert.Equal("settings", KubeObject.ScalarAt(container["envFrom"]![0]!.AsObject(), "configMapRef.name")); // inlined LocalObjectReference

        var rolling = json["spec"]!["strategy"]!["rollingUpdate"]!;
        Assert.Equal(1, KubeObject.Long(rolling["maxUnavailable"]));
        Assert.Equal("25%", rolling["maxSurge"]!.GetValue<string>());
    }

    [Fact]
    public void Secret_bytes_become_base64_and_timestamps_rfc3339()
    {
        var secret = new ProtoBuilder()
            .Message(1, new ProtoBuilder().String(1, "creds").Message(8, new ProtoBuilder().Varint(1, 1_700_000_000)))
            .Entry(2, "password", Encoding.UTF8.GetBytes("s3cr3t"))
            .String(3, "Opaque");
        var json = Decode(ProtoBuilder.Envelope("v1", "Secret", secret));

        Assert.Equal("czNjcjN0", KubeObject.ScalarAt(json, "data.password"));
        Assert.Equal("Opaque", KubeObject.String(json, "type"));
        Assert.Equal("2023-11-14T22:13:20Z", KubeObject.ScalarAt(json, "metadata.creationTimestamp"));
    }

    [Fact]
    public void Delete_options_decode_in_any_group_version()
    {
        var options = new ProtoBuilder().Varint(1, 0).Message(2, new ProtoBuilder().String(1, "uid-1")).String(4, "Foreground");
        var json = Decode(ProtoBuilder.Envelope("apps/v1", "DeleteOptions", options));

        Assert.Equal(0, KubeObject.Long(json["gracePeriodSeconds"]));
        Assert.Equal("uid-1", KubeObject.ScalarAt(json, "preconditions.uid"));
        Assert.Equal("Foreground", KubeObject.String(json, "propagationPolicy"));
    }

    [Fact]
    public void Unknown_fields_are_skipped_and_packed_numbers_read()
    {
        var pod = new ProtoBuilder()
            .Message(1, new ProtoBuilder().String(1, "p").String(999, "from a newer client"))
            .Message(2, new ProtoBuilder()                                      // PodSpec
                .Message(14, new ProtoBuilder().Packed(4, 1000, 2000)));        // securityContext.supplementalGroups
        var json = Decode(ProtoBuilder.Envelope("v1", "Pod", pod));

        Assert.Equal("p", KubeObject.ScalarAt(json, "metadata.name"));
        Assert.Equal([1000L, 2000L], json["spec"]!["securityContext"]!["supplementalGroups"]!.AsArray().Select(n => KubeObject.Long(n)!.Value));
    }

    [Theory]
    [InlineData("not a protobuf body", "provided data does not appear to be a protobuf message")]
    [InlineData("k8s\0\n\u0005", "unable to decode the protobuf body")]
    public void Malformed_bodies_are_a_400_naming_the_problem(string body, string expected)
    {
        var (obj, error) = KubernetesProtobuf.Decode(Encoding.Latin1.GetBytes(body));
        Assert.Null(obj);
        Assert.Equal(400, error!.Code);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_kind_without_a_schema_is_a_400()
    {
        var (_, error) = KubernetesProtobuf.Decode(ProtoBuilder.Envelope("v1", "Gizmo", new ProtoBuilder()));
        Assert.Equal(400, error!.Code);
        Assert.Contains("no kind \"Gizmo\" is registered for version \"v1\"", error.Message);
    }

    [Fact]
    public void Hostile_nesting_is_refused_not_recursed()
    {
        // A ControllerRevision's data is a RawExtension, which may hold another protobuf object.
        var inner = ProtoBuilder.Envelope("v1", "Secret", new ProtoBuilder().String(3, "Opaque"));
        for (var i = 0; i < 60; i++)
            inner = ProtoBuilder.Envelope("apps/v1", "ControllerRevision", new ProtoBuilder().Message(2, new ProtoBuilder().Bytes(1, inner)));
        var (_, error) = KubernetesProtobuf.Decode(inner);
        Assert.Equal(400, error!.Code);
    }
}
