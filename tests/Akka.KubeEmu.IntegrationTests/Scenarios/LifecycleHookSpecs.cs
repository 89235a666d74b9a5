using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E2 (the rest of the pod lifecycle) with the real kubectl: the docs' lifecycle-events pod
/// (a postStart hook writes a file kubectl exec reads; its preStop quits nginx), and an init
/// container whose command the image does not have.
/// </summary>
[Collection("shared cluster")]
public sealed class LifecycleHookSpecs(SharedCluster shared) : IAsyncLifetime
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(40);
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "config", "examples");
    private Kubectl Kubectl { get; set; } = null!;

    public async Task InitializeAsync() => Kubectl = await shared.Namespace("lifecycle");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_docs_lifecycle_demo_and_a_missing_init_command_behave_as_on_a_cluster()
    {
        (await Kubectl.Run("apply", "-f", Path.Combine(Examples, "lifecycle-events.yaml"))).Ok();
        (await Kubectl.Run("apply", "-f", Path.Combine(Examples, "troubleshooting", "init-containers-missing-command.yaml"))).Ok();
        await Eventually.Until(async () => (await Kubectl.Run("get", "pod", "lifecycle-demo", "-o", "jsonpath={.status.phase}")).Ok().Stdout,
            s => s == "Running", Run, "lifecycle-demo running");
        Assert.Equal("Hello from the postStart handler\n", (await Kubectl.Run("exec", "lifecycle-demo", "--", "cat", "/usr/share/message")).Ok().Stdout);

        var status = await Eventually.Until(async () => (await Kubectl.Run("get", "pod", "myapp-pod", "--no-headers")).Ok().Stdout,
            s => s.Contains("Init:CrashLoopBackOff") || s.Contains("Init:StartError"), Run, "Init:StartError or Init:CrashLoopBackOff");
        Assert.Contains("0/1", status);
        var described = (await Kubectl.Run("describe", "pod", "myapp-pod")).Ok().Stdout;
        Assert.Contains("exec: \"xxx\": executable file not found in $PATH", described);

        // The preStop hook quits nginx: the delete returns long before the 30 s grace period.
        var deleting = System.Diagnostics.Stopwatch.StartNew();
        (await Kubectl.Run("delete", "pod", "lifecycle-demo", "--wait=true")).Ok();
        Assert.True(deleting.Elapsed < TimeSpan.FromSeconds(15), $"the delete took {deleting.Elapsed}");
    }
}
