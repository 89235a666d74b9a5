using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

/// <summary>The example manifests (config/examples, the same as the shared ones): every pod, and every workload's pod template, runs.</summary>
public sealed class ManifestSpecs : NodeTestBase
{
    public static TheoryData<string> Files() =>
        new(Directory.GetFiles(RepoFile("config/examples"), "*.yaml").Select(Path.GetFileName).OfType<string>().Order());

    [Theory]
    [MemberData(nameof(Files))]
    public void The_pods_of_a_manifest_reach_Running_and_Ready(string file)
    {
        StartNodes("node-1");
        CreateNamespace("kube-system"); // there on every cluster (the fluentd DaemonSet of the documentation runs there)
        var pods = new List<(string Ns, string Name, string[] Containers)>();
        foreach (var obj in Manifest(Path.Combine(RepoFile("config/examples"), file)))
        {
            switch (KubeObject.Kind(obj))
            {
                case "Namespace":
                    CreateNamespace(KubeObject.Name(obj));
                    break;
                case "Pod":
                    pods.Add(Bind(obj, KubeObject.Name(obj)));
                    break;
                case "Deployment" or "StatefulSet" or "ReplicaSet" or "DaemonSet":
                    // What the controllers would create from the template.
                    var template = (JsonObject)KubeObject.At(obj, "spec.template")!.DeepClone();
                    template["apiVersion"] = "v1";
                    template["kind"] = "Pod";
                    var meta = KubeObject.Metadata(template);
                    meta["namespace"] = KubeObject.Namespace(obj) is { Length: > 0 } ns ? ns : null;
                    pods.Add(Bind(template, KubeObject.Name(obj) + "-0"));
                    break;
            }
        }
        Assert.NotEmpty(pods);
        foreach (var (ns, name, containers) in pods)
        {
            var pod = Eventually(() => Pod(name, ns) is { } p && KubeObject.ScalarAt(p, "status.phase") == "Running" && Condition(p, "Ready") == "True" ? p : null,
                TimeSpan.FromMinutes(1), $"{ns}/{name} Running");
            foreach (var c in containers)
            {
                Assert.Equal("true", State(pod, c, "ready"));
                Assert.Equal("0", State(pod, c, "restartCount"));
            }
        }
        // And they keep running.
        Advance(TimeSpan.FromMinutes(5));
        foreach (var (ns, name, containers) in pods)
            Eventually(() => Pod(name, ns) is { } p && containers.All(c => State(p, c, "restartCount") == "0" && State(p, c, "state.running.startedAt") is not null),
                TimeSpan.FromSeconds(5), $"{ns}/{name} still running");
    }

    private (string, string, string[]) Bind(JsonObject pod, string name)
    {
        var meta = KubeObject.Metadata(pod);
        meta["name"] = name;
        if (KubeObject.Namespace(pod).Length == 0) meta["namespace"] = "default";
        KubeObject.EnsureObject(pod, "spec")["nodeName"] = "node-1";
        var created = Create("pods", pod);
        var containers = ((JsonArray)KubeObject.At(created, "spec.containers")!).OfType<JsonObject>().Select(c => KubeObject.String(c, "name")!).ToArray();
        return (KubeObject.Namespace(created), name, containers);
    }
}
