using Akka.Actor;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Logs;

namespace Akka.KubeEmu.Actors.Node.Pods;

// The processes of the pod's containers: each start gets a fresh root file system and a new log
// (the previous one is kept for --previous); the pod's volumes are shared between its containers
// and outlive restarts, as emptyDir does.
public sealed partial class PodWorker
{
    private Dictionary<string, FileTree>? _volumes;

    private void StartProcess(ContainerRecord c, ImageReference image, DateTimeOffset now)
    {
        c.PreviousLog = c.Log;
        c.Log = new ContainerLog(_node.Logs, c.ContainerId);
        var env = c.Environment ?? ContainerEnvironment.For(_pod, c.Spec, _podIp, _node.Network.InternalIp, c.ServiceEnvironment);
        var catalog = _node.Images.Describe(image);
        var argv = ContainerEnvironment.ExpandAll(catalog.CommandOr(c.Spec.Command).Concat(c.Spec.Args).ToArray(), env);
        var spec = new ProcessSpec(argv, catalog, env, _pod.Hostname, MustFinish(c), c.Spec.Stdin,
            c.Spec.Ports.Select(p => p.Port).ToArray(), NetworkFor())
        {
            ImageName = image.Repository.Split('/')[^1],
            ImageTag = image.Tag,
            SharedProcessNamespace = _pod.ShareProcessNamespace ? RunningProcesses
                : c.Spec.TargetContainerName is { Length: > 0 } target ? () => TargetProcessNamespace(target, c) : null,
            PauseInProcessNamespace = _pod.ShareProcessNamespace,
            Tty = c.Spec.Tty,
        };
        c.Process = new ContainerProcess(spec, FilesFor(c), c.Log, now);
        c.Process.Advance(now);
        WatchNetwork(c);
        CollectExit(c);
    }

    private IReadOnlyList<ContainerProcess> RunningProcesses() =>
        All.Where(c => c.Stage == ContainerStage.Running && c.Process is { Exited: false }).Select(c => c.Process!).ToArray();

    /// <summary>kubectl debug --target: the ephemeral container runs in the target container's PID namespace.</summary>
    private IReadOnlyList<ContainerProcess> TargetProcessNamespace(string target, ContainerRecord debugger) =>
        new[] { All.FirstOrDefault(x => x.Name == target), debugger }
            .Where(x => x is { Stage: ContainerStage.Running, Process.Exited: false }).Select(x => x!.Process!).ToArray();

    private bool MustFinish(ContainerRecord c) => (c.Spec.IsInit && !c.Spec.Restartable) || _pod.RestartPolicy is "Never" or "OnFailure";

    private ContainerFileSystem FilesFor(ContainerRecord c)
    {
        if (c.Spec.Mounts.Count == 0) return ContainerFileSystem.Empty();
        var mounts = new List<(string, FileTree, string)>();
        foreach (var mount in c.Spec.Mounts) mounts.Add((ContainerFileSystem.Normalize(mount.MountPath), MountedTree(mount), SubPathOf(mount)));
        return ContainerFileSystem.WithSubPaths(mounts);
    }

    /// <summary>Runs the container's process up to now (or its kill), and takes its exit when it has ended.</summary>
    private void AdvanceProcess(ContainerRecord c, DateTimeOffset now)
    {
        if (c.Process is not { } process) return;
        // An exec'd command (a hook, kubectl exec) may have stopped it meanwhile: then only its exit is taken.
        if (!process.Exited)
        {
            var until = c.ExitAt is { } killAt && killAt < now ? killAt : now;
            process.Advance(until);
            WatchNetwork(c);
        }
        CollectExit(c);
    }

    /// <summary>The program waits for another pod's answer (curl in its script): it goes on here once that has come.</summary>
    private void WatchNetwork(ContainerRecord c)
    {
        if (c.Process is not { } process) return;
        var answered = new ProcessNetworkAnswered(c.Name, c.ContainerId);
        foreach (var wait in process.TakeNewWaits())
            wait.ContinueWith(_ => answered, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).PipeTo(Self);
    }

    private void OnProcessNetworkAnswered(ProcessNetworkAnswered answered)
    {
        var c = All.FirstOrDefault(x => x.Name == answered.Container);
        if (c is not { Stage: ContainerStage.Running, Process: { Exited: false } process } || c.ContainerId != answered.ContainerId) return;
        var now = Now;
        process.ResumeAnswered(now);
        AdvanceProcess(c, now);
    }

    private sealed record ProcessNetworkAnswered(string Container, string? ContainerId);

    private void CollectExit(ContainerRecord c)
    {
        if (c.Process is not { Exited: true } process) return;
        if (c.ExitAt is { } planned && planned < process.ExitedAt) return; // killed (or annotated to exit) first
        c.ExitAt = process.ExitedAt;
        c.ExitCode = _pod.Annotations.ExitCodeFor(c.Name) is { } code && process.ExitCode != 0 ? code : process.ExitCode;
        c.ExitReason = c.ExitCode == 0 ? "Completed" : "Error";
    }

    /// <summary>What the kubelet serves logs from: each container's state and its last two logs.</summary>
    private IReadOnlyList<ContainerLogView> LogViews() => All.Select(c => new ContainerLogView(
        c.Name,
        c.Stage switch { ContainerStage.Running => "running", ContainerStage.Terminated => "terminated", _ => "waiting" },
        c.WaitingReason ?? (c.Stage == ContainerStage.Waiting ? (_init.Length > 0 && !c.Spec.IsInit ? "PodInitializing" : "ContainerCreating") : null),
        c.Last is not null,
        c.Log,
        c.PreviousLog)).ToArray();

    private void OnLogRequest(ContainerLogRequest request)
    {
        // Output up to this instant is in the log (the process may be between two wake-ups).
        var now = Now;
        foreach (var c in All)
            if (c.Stage == ContainerStage.Running) AdvanceProcess(c, now);
        Sender.Tell(ContainerLogResolver.Answer(LogViews(), request));
    }

    /// <summary>The container's process is gone: its log gets its last line, probes stop.</summary>
    private static void EndProcess(ContainerRecord c, DateTimeOffset at)
    {
        c.Log?.End(at);
        c.Process?.StopNetwork();
        c.Process = null;
        c.Probes.Clear();
    }
}
