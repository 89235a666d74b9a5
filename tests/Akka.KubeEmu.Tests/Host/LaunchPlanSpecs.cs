using Akka.KubeEmu.Host.Launcher;
using Xunit;

namespace Akka.KubeEmu.Tests.Host;

public sealed class LaunchPlanSpecs
{
    private static readonly IReadOnlyList<string> Self = ["kubeemu"];

    [Fact]
    public void One_control_plane_founds_the_cluster_and_every_node_joins_it()
    {
        var plan = LaunchPlan.For(new UpOptions { Nodes = 2, ApiPort = 7443, AkkaPort = 7053 }, "/state", Self);

        Assert.Equal(["control-plane", "node-1", "node-2"], plan.Select(p => p.Name));
        Assert.Empty(Seeds(plan[0]));
        Assert.Equal("7443", Option(plan[0], "--api-port"));
        Assert.DoesNotContain("--no-kubeconfig", plan[0].Command);
        Assert.All(plan.Skip(1), node => Assert.Equal(["127.0.0.1:7053"], Seeds(node)));
    }

    [Fact]
    public void With_three_control_planes_the_first_founds_the_others_join_and_nodes_know_them_all()
    {
        var plan = LaunchPlan.For(new UpOptions { Nodes = 1, ControlPlanes = 3 }, "/state", Self, [(7443, 7053), (7444, 7054), (7445, 7055)]);

        Assert.Equal(["control-plane", "control-plane-2", "control-plane-3", "node-1"], plan.Select(p => p.Name));
        Assert.Equal(["control-plane", "control-plane", "control-plane", "node"], plan.Select(p => p.Role));
        Assert.Empty(Seeds(plan[0]));
        Assert.Equal(["127.0.0.1:7053", "127.0.0.1:7055"], Seeds(plan[1]));
        Assert.Equal(["127.0.0.1:7053", "127.0.0.1:7054"], Seeds(plan[2]));
        Assert.Equal(["7444", "7054"], [Option(plan[1], "--api-port"), Option(plan[1], "--akka-port")]);
        // Only the first writes the kubeconfig: it names the first API server.
        Assert.Equal([false, true, true], plan.Take(3).Select(p => p.Command.Contains("--no-kubeconfig")));
        Assert.Equal(["127.0.0.1:7053", "127.0.0.1:7054", "127.0.0.1:7055"], Seeds(plan[3]));
    }

    private static IReadOnlyList<string> Seeds(PlannedProcess p) =>
        p.Command.Select((a, i) => (a, i)).Where(x => x.a == "--seed").Select(x => p.Command[x.i + 1]).ToArray();

    private static string Option(PlannedProcess p, string option) => p.Command[p.Command.ToList().IndexOf(option) + 1];
}
