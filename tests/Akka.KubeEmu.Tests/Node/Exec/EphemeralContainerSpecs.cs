using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node.Exec;
using Xunit;

namespace Akka.KubeEmu.Tests.Node.Exec;

/// <summary>
/// kubectl debug POD -it --image=busybox:1.28 --target=C, on the kubelet's side: the ephemeral
/// container the pods/ephemeralcontainers write added is pulled, created and started as a container
/// is, reported in ephemeralContainerStatuses, attached to, shares its target's processes, and never
/// restarts.
/// </summary>
public sealed class EphemeralContainerSpecs : NodeTestBase
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static string? Ephemeral(JsonObject? pod, string name, string path) =>
        KubeObject.ScalarAt((KubeObject.At(pod, "status.ephemeralContainerStatuses") as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(s => KubeObject.String(s, "name") == name), path);

    private void AddDebugger(string pod, JsonObject debugger)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var obj = Pod(pod)!;
            ((JsonObject)obj["spec"]!)["ephemeralContainers"] = new JsonArray(debugger.DeepClone());
            if (Await(Client.Update("pods", obj, "ephemeralcontainers")).Ok) return;
        }
        throw new Xunit.Sdk.XunitException("could not add the ephemeral container");
    }

    [Fact]
    public void A_debugger_targeting_a_container_starts_like_a_container_sees_its_processes_and_ends_for_good_when_its_shell_exits()
    {
        var host = StartNodes("node-1");
        CreatePod("web", new JsonArray(Container("web", "nginx:1.25")));
        Eventually(() => Condition(Pod("web"), "Ready") == "True", Minute, "web Ready");

        var debugger = Container("debugger", "busybox:1.28");
        debugger["stdin"] = true;
        debugger["tty"] = true;
        debugger["targetContainerName"] = "web";
        AddDebugger("web", debugger);
        var pod = Eventually(() => Pod("web") is { } p && Ephemeral(p, "debugger", "state.running.startedAt") is not null ? p : null, Minute, "the debugger running");
        Assert.Equal("docker.io/library/busybox:1.28", Ephemeral(pod, "debugger", "image"));
        Assert.Equal("false", Ephemeral(pod, "debugger", "ready"));
        Assert.Null(Ephemeral(pod, "debugger", "started"));
        Assert.Equal("True", Condition(pod, "Ready")); // the pod's readiness is its containers' alone
        var events = EventsAbout("web").Where(e => KubeObject.ScalarAt(e, "involvedObject.fieldPath") == "spec.ephemeralContainers{debugger}").ToArray();
        Assert.Equal(["Pulling", "Pulled", "Created", "Started"], Reasons(events));
        Assert.Contains(events, e => KubeObject.String(e, "message") == "Created container: debugger");

        // kubectl attaches to it: its shell runs in the target's PID namespace (nginx is PID 1).
        Sys.ActorSelection(host.Path / "kubelet-node-1").Tell(
            new ExecStart("s1", "node-1", KubeObject.Uid(pod)!, "default", "web", "debugger", [], Stdin: true, Tty: true, Attach: true), TestActor);
        ExpectMsg<ExecStarted>();
        Assert.Equal("/ # ", Encoding.UTF8.GetString(ExpectMsg<ExecOutput>().Data));
        var session = LastSender;
        session.Tell(new ExecInput("s1", "ps\r"u8.ToArray()), TestActor);
        var listing = new StringBuilder();
        while (!listing.ToString().Contains("COMMAND", StringComparison.Ordinal) || !listing.ToString().EndsWith("/ # ", StringComparison.Ordinal))
            listing.Append(Encoding.UTF8.GetString(ExpectMsg<ExecOutput>().Data));
        Assert.Contains("    1 root      0:00 nginx: master process nginx -g daemon off;", listing.ToString());
        Assert.Contains("    7 root      0:00 sh", listing.ToString());
        Assert.DoesNotContain("/pause", listing.ToString());

        session.Tell(new ExecInput("s1", "exit 3\r"u8.ToArray()), TestActor);
        Assert.Equal(3, FishForMessage<ExecExited>(_ => true).ExitCode);
        var ended = Eventually(() => Pod("web") is { } p && Ephemeral(p, "debugger", "state.terminated.exitCode") == "3" ? p : null, Minute, "the debugger terminated");
        Advance(TimeSpan.FromMinutes(2)); // no back-off restart comes
        ended = Pod("web")!;
        Assert.Equal("3", Ephemeral(ended, "debugger", "state.terminated.exitCode"));
        Assert.Equal("0", Ephemeral(ended, "debugger", "restartCount"));
        Assert.Equal("Running", KubeObject.ScalarAt(ended, "status.phase"));
        Assert.Equal("True", Condition(ended, "Ready"));
    }
}
