using System.Diagnostics;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Store;
using Xunit;
using Xunit.Abstractions;

namespace Akka.KubeEmu.Tests.Node;

/// <summary>Many hollow nodes and pods in one process. Runs only with KUBEEMU_NODE_SCALE=nodes,podsPerNode.</summary>
public sealed class NodeScaleSmoke(ITestOutputHelper output) : NodeTestBase
{
    [ScaleFact]
    public void Many_hollow_nodes_run_their_pods()
    {
        var spec = Environment.GetEnvironmentVariable(ScaleFact.Variable)!;
        var parts = spec.Split(',').Select(int.Parse).ToArray();
        var (nodes, perNode) = (parts[0], parts[1]);
        var names = Enumerable.Range(1, nodes).Select(i => $"node-{i}").ToArray();
        var before = GC.GetTotalMemory(true);
        var clock = Stopwatch.StartNew();
        StartNodes(names);
        Eventually(() => List("nodes").Count(n => Akka.KubeEmu.Actors.Node.Agent.NodeObject.IsReady(n)) == nodes, TimeSpan.FromMinutes(5), "nodes Ready", TimeSpan.FromMilliseconds(200));
        output.WriteLine($"{nodes} nodes Ready after {clock.Elapsed}");
        clock.Restart();
        var creates = new List<Task>();
        foreach (var node in names)
            for (var i = 0; i < perNode; i++)
                creates.Add(Client.Create("pods", new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Pod",
                    ["metadata"] = new JsonObject { ["name"] = $"{node}-p{i}", ["namespace"] = "default" },
                    ["spec"] = new JsonObject { ["nodeName"] = node, ["containers"] = new JsonArray(Container("app", "nginx:1.7.9")) },
                }));
        Await(Task.WhenAll(creates).ContinueWith(_ => 0));
        output.WriteLine($"{creates.Count} pods created in {clock.Elapsed}");
        clock.Restart();
        Eventually(() => List("pods", "default").Count(p => Condition(p, "Ready") == "True") == nodes * perNode,
            TimeSpan.FromMinutes(30), "all pods Ready", TimeSpan.FromMilliseconds(500));
        output.WriteLine($"all Ready after {clock.Elapsed} real; memory +{(GC.GetTotalMemory(true) - before) / 1024 / 1024} MB");
        output.WriteLine($"events: {List("events", "default").Count}");
    }
}

/// <summary>Reported as skipped, not passed, when the scale run was not asked for.</summary>
public sealed class ScaleFact : FactAttribute
{
    public const string Variable = "KUBEEMU_NODE_SCALE";

    public ScaleFact()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"opt-in: set {Variable}=nodes,podsPerNode";
    }
}
