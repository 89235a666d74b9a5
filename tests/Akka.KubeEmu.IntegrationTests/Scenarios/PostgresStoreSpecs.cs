using Akka.KubeEmu.IntegrationTests.Support;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>`kubeemu up --store postgres`: the Store journals in a real PostgreSQL server and survives kill -9 of the control plane.</summary>
[Collection("clusters")]
public sealed class PostgresStoreSpecs
{
    [Fact]
    public async Task A_cluster_on_PostgreSQL_keeps_its_objects_across_a_control_plane_kill()
    {
        await using var cluster = await KubeEmuCluster.Up(1, "fast", "--store", "postgres", "--connection-string", TestPostgres.WithFreshSchema(out _));
        var kubectl = cluster.Kubectl;
        (await kubectl.RunWithInput("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: durable\ndata:\n  k: v\n", "apply", "-f", "-")).Ok();
        var uid = (await kubectl.Run("get", "configmap", "durable", "-o", "jsonpath={.metadata.uid}")).Ok().Stdout;
        Assert.Contains("--store", cluster.Process("control-plane")["command"]!.AsArray().Select(a => a!.GetValue<string>()));

        cluster.Kill("control-plane");
        cluster.Restart("control-plane");
        var after = await Eventually.Until(async () => await kubectl.Run("get", "configmap", "durable", "-o", "jsonpath={.metadata.uid}"),
            r => r.ExitCode == 0, TimeSpan.FromSeconds(60), "the configmap after the restart");
        Assert.Equal(uid, after.Stdout);
        Assert.False(File.Exists(Path.Combine(cluster.StateDir, "journal.db")), "nothing was journaled in SQLite");
    }
}
