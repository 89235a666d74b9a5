using Akka.KubeEmu.Actors.Node;
using Akka.KubeEmu.Actors.Node.ConfigObjects;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Pods;
using Akka.KubeEmu.Actors.Node.Volumes;
using Xunit;
using static Akka.KubeEmu.Tests.Node.ConfigObjects.ConfigObjectFixtures;

namespace Akka.KubeEmu.Tests.Node.ConfigObjects;

/// <summary>The payload of configMap, secret, downwardAPI and projected volumes, and how it lies in the volume.</summary>
public sealed class VolumeProjectionSpecs
{
    private static readonly ConfigObjectCache Objects = Listed(Cache(
        (ConfigKind.ConfigMap, "app", """{"data":{"app.conf":"port=80","color":"blue"},"binaryData":{"logo":"aGk="}}"""),
        (ConfigKind.Secret, "tls", $$$"""{"type":"kubernetes.io/tls","data":{"tls.crt":"{{{B64("CERT")}}}","tls.key":"{{{B64("KEY")}}}"}}""")),
        (ConfigKind.ConfigMap, "kafka-scripts"));

    private static VolumePayload Build(string volumes, string labels = """{"app":"web","tier":"front \"end\""}""")
    {
        var pod = Pod("""{"metadata":{"name":"web-0","namespace":"default","uid":"u-1","labels":""" + labels
            + """},"spec":{"containers":[{"name":"c","image":"nginx","resources":{"limits":{"memory":"256Mi"}}}],"volumes":""" + volumes + "}}");
        return VolumeProjector.Build(pod.Volumes[0], pod, Objects, "10.244.0.9", "172.18.0.2", NodeCapacity.Default);
    }

    [Fact]
    public void A_configMap_volume_holds_every_key_including_binaryData_and_items_choose_keys_and_paths()
    {
        var all = Build("""[{"name":"config","configMap":{"name":"app"}}]""").Files!;
        Assert.Equal(["app.conf", "color", "logo"], all.Keys);
        Assert.Equal("hi", all["logo"]);

        var items = Build("""[{"name":"config","configMap":{"name":"app","items":[{"key":"app.conf","path":"conf/server.conf","mode":256}]}}]""").Files!;
        Assert.Equal(["conf/server.conf"], items.Keys);
        Assert.Equal("port=80", items["conf/server.conf"]);
    }

    [Fact]
    public void Missing_sources_and_keys_fail_with_the_volume_plugins_messages_unless_optional()
    {
        Assert.Equal("configmap \"kafka-scripts\" not found", Build("""[{"name":"scripts","configMap":{"name":"kafka-scripts"}}]""").Error);
        Assert.Equal("configmap references non-existent config key: nope",
            Build("""[{"name":"config","configMap":{"name":"app","items":[{"key":"nope","path":"x"}]}}]""").Error);
        Assert.Equal("references non-existent secret key: ca.crt",
            Build("""[{"name":"certs","secret":{"secretName":"tls","items":[{"key":"ca.crt","path":"ca"}]}}]""").Error);
        Assert.Empty(Build("""[{"name":"scripts","configMap":{"name":"kafka-scripts","optional":true}}]""").Files!);
        Assert.True(Build("""[{"name":"later","secret":{"secretName":"not-listed-yet"}}]""").Waiting);
    }

    [Fact]
    public void A_secret_volume_holds_decoded_values()
    {
        var files = Build("""[{"name":"certs","secret":{"secretName":"tls"}}]""").Files!;
        Assert.Equal("CERT", files["tls.crt"]);
        Assert.Equal("KEY", files["tls.key"]);
    }

    [Fact]
    public void A_projected_volume_merges_its_sources_and_aggregates_their_errors()
    {
        var files = Build("""
            [{"name":"all","projected":{"sources":[
              {"configMap":{"name":"app","items":[{"key":"color","path":"color"}]}},
              {"secret":{"name":"tls"}},
              {"downwardAPI":{"items":[{"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}},
                                       {"path":"name","fieldRef":{"fieldPath":"metadata.name"}},
                                       {"path":"mem","resourceFieldRef":{"containerName":"c","resource":"limits.memory","divisor":"1Mi"}}]}},
              {"serviceAccountToken":{"path":"token","expirationSeconds":3600}}]}}]
            """).Files!;
        Assert.Equal(["color", "labels", "mem", "name", "tls.crt", "tls.key", "token"], files.Keys);
        Assert.Equal("app=\"web\"\ntier=\"front \\\"end\\\"\"", files["labels"]);
        Assert.Equal("web-0", files["name"]);
        Assert.Equal("256", files["mem"]);
        Assert.Equal(3, files["token"].Split('.').Length);

        var failed = Build("""
            [{"name":"all","projected":{"sources":[{"configMap":{"name":"kafka-scripts"}},{"secret":{"name":"tls","items":[{"key":"x","path":"x"}]}}]}}]
            """);
        Assert.Equal("[configmap \"kafka-scripts\" not found, references non-existent secret key: x]", failed.Error);
    }

    [Fact]
    public void The_atomic_writer_lays_files_out_with_a_data_directory_and_replaces_them_all_on_change()
    {
        var tree = new FileTree();
        var t0 = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var first = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" };
        Assert.True(AtomicWriter.Write(tree, first, null, t0));
        var listing = tree.List("").ToArray();
        Assert.Equal(["..2026_11_22_12_00_00.000000000", "..data", "a", "b"], listing);
        Assert.Equal("1", tree.Read("..data/a"));
        Assert.Equal("2", tree.Read("b"));

        Assert.False(AtomicWriter.Write(tree, new Dictionary<string, string>(first), first, t0.AddSeconds(1)));
        Assert.True(AtomicWriter.Write(tree, new Dictionary<string, string> { ["a"] = "3" }, first, t0.AddSeconds(60)));
        Assert.Equal(["..2026_11_22_12_01_00.000000000", "..data", "a"], tree.List("").ToArray());
        Assert.Equal("3", tree.Read("a"));
        Assert.Null(tree.Read("b"));

        var subPath = AtomicWriter.SubPathCopy(tree, "a");
        Assert.Equal("3", subPath.Read(""));
    }
}
