using System.Globalization;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Node.Runtime;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Node.Kubelet;

/// <summary>The latest version of the pod from the store (the Kubelet forwards every change).</summary>
public sealed record PodUpdate(JsonObject Pod);

/// <summary>
/// One pod on one node, like the kubelet's pod worker plus the container runtime underneath:
/// sandbox, image pulls, init containers one by one, containers that run, exit and restart with
/// CrashLoopBackOff, readiness, and graceful termination ending with the final DELETE.
/// Containers are state inside this actor, not actors of their own.
/// </summary>
public sealed class PodWorker : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BackoffReset = TimeSpan.FromMinutes(10);

    private readonly PodWorkerContext _ctx;
    private readonly PodStatusBuilder _status = new();
    private readonly PodRuntime _runtime;
    private readonly Dictionary<string, TimeSpan> _pullBackoff = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string> _annotations;
    private JsonObject _pod;
    private JsonObject? _lastWritten;
    private bool _writing, _dirty, _flushQueued, _deleting;

    public PodWorker(PodWorkerContext ctx, JsonObject pod, string? podIp)
    {
        _ctx = ctx;
        _pod = pod;
        var typed = KubernetesJson.Deserialize<V1Pod>(pod.ToJsonString());
        var spec = typed.Spec;
        var restartPolicy = spec.RestartPolicy ?? "Always";
        _annotations = KubeObject.StringMap(KubeObject.At(pod, "metadata.annotations"));
        var init = (spec.InitContainers ?? []).Select(c => NewContainer(c, isInit: true, restartPolicy)).ToList();
        var main = (spec.Containers ?? []).Select(c => NewContainer(c, isInit: false, restartPolicy)).ToList();
        _runtime = new PodRuntime(init, main, restartPolicy, ctx.HostIp, podIp, ctx.Time.GetUtcNow());
        CarryOverRestartCounts(pod);

        Receive<PodUpdate>(u => OnUpdate(u.Pod));
        Receive<SandboxReady>(_ => OnSandboxReady());
        Receive<PullDone>(p => OnPulled(p));
        Receive<StartContainer>(s => Start(s.Name));
        Receive<Exited>(e => OnExited(e));
        Receive<BecomeReady>(r => OnReady(r));
        Receive<Killed>(k => OnKilled(k));
        Receive<FlushStatus>(_ => FlushNow());
        Receive<StatusWritten>(OnStatusWritten);
        Receive<DeleteDone>(d => OnDeleteDone(d));
        Receive<RetryDelete>(_ => FinalDelete());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PodWorkerContext ctx, JsonObject pod, string? podIp) =>
        Akka.Actor.Props.Create(() => new PodWorker(ctx, pod, podIp));

    private DateTimeOffset Now => _ctx.Time.GetUtcNow();

    private string PodRef => $"{KubeObject.Name(_pod)}_{KubeObject.Namespace(_pod)}({KubeObject.Uid(_pod)})";

    protected override void PreStart()
    {
        var phase = KubeObject.ScalarAt(_pod, "status.phase");
        if (phase is "Succeeded" or "Failed")
        {
            // Finished before this kubelet saw it (e.g. the node process restarted): nothing runs again.
            _runtime.ForcedPhase = phase;
            if (IsBeingDeleted(_pod)) FinalDelete();
            return;
        }
        if (IsBeingDeleted(_pod))
        {
            FinalDelete();
            return;
        }
        MarkDirty();
        Timers.StartSingleTimer("sandbox", SandboxReady.Instance, _ctx.Timing.PodStartupDelay);
    }

    private ContainerState NewContainer(V1Container c, bool isInit, string restartPolicy)
    {
        var reference = ImageReference.Parse(c.Image ?? "");
        var program = ContainerPrograms.For(c.Command?.ToArray() ?? [], c.Args?.ToArray() ?? [], _ctx.Catalog.Describe(reference),
            expectedToFinish: isInit || restartPolicy != "Always");
        program = Annotated(program);
        return new ContainerState(c.Name, c.Image ?? "", isInit, program);
    }

    /// <summary>kubeemu.io/* annotations override what the command would do (DESIGN.md section 4).</summary>
    private ContainerProgram Annotated(ContainerProgram program)
    {
        if (_annotations.GetValueOrDefault("kubeemu.io/crash-loop") == "true")
            return ContainerProgram.Exits(1, TimeSpan.FromSeconds(1));
        var exitAfter = Seconds("kubeemu.io/exit-after");
        var exitCode = int.TryParse(_annotations.GetValueOrDefault("kubeemu.io/exit-code"), out var code) ? code : (int?)null;
        if (exitAfter is null && exitCode is null) return program;
        return new ContainerProgram(exitAfter ?? program.RunFor ?? TimeSpan.Zero, exitCode ?? program.ExitCode, program.HandlesSigterm);
    }

    private TimeSpan? Seconds(string annotation) =>
        double.TryParse(_annotations.GetValueOrDefault(annotation), NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
            ? TimeSpan.FromSeconds(s) : null;

    // A restarted node process finds its pods' restart counts in the store; containers that were
    // running there died with the process, which counts as one more restart.
    private void CarryOverRestartCounts(JsonObject pod)
    {
        foreach (var field in new[] { "status.containerStatuses", "status.initContainerStatuses" })
            foreach (var cs in (KubeObject.At(pod, field) as JsonArray)?.OfType<JsonObject>() ?? [])
                if (_runtime.Find(KubeObject.String(cs, "name") ?? "") is { } c)
                {
                    c.RestartCount = (int)(KubeObject.Long(cs["restartCount"]) ?? 0);
                    if (KubeObject.At(cs, "state.running") is not null) c.RestartCount++;
                }
    }

    private void OnUpdate(JsonObject pod)
    {
        _pod = pod;
        if (IsBeingDeleted(pod) && !_runtime.Terminating)
        {
            Terminate();
            return;
        }
        // Someone else changed our status (e.g. the node controller marked the pod NotReady while
        // this node was unreachable): write ours again, as the status manager's sync would.
        if (_lastWritten is not null && !_writing && !JsonNode.DeepEquals(pod["status"], _lastWritten)) MarkDirty(force: true);
    }

    private static bool IsBeingDeleted(JsonObject pod) => KubeObject.At(pod, "metadata.deletionTimestamp") is not null;

    private void OnSandboxReady()
    {
        if (_runtime.Terminating) return;
        _runtime.SandboxReady = true;
        MarkDirty();
        Advance();
    }

    /// <summary>Starts what should run next: the first unfinished init container, else every main container not started yet.</summary>
    private void Advance()
    {
        if (_runtime.Terminating || !_runtime.SandboxReady) return;
        var nextInit = _runtime.Init.FirstOrDefault(c => !c.Succeeded);
        if (nextInit is not null)
        {
            if (nextInit.Phase == ContainerPhase.Waiting && nextInit.ContainerId is null && !IsPulling(nextInit)) Prepare(nextInit);
            return;
        }
        foreach (var c in _runtime.Main)
            if (c.Phase == ContainerPhase.Waiting && c.ContainerId is null && !IsPulling(c)) Prepare(c);
    }

    private bool IsPulling(ContainerState c) => Timers.IsTimerActive("pull:" + c.Name) || Timers.IsTimerActive("start:" + c.Name);

    /// <summary>EnsureImageExists then start, following imagePullPolicy.</summary>
    private void Prepare(ContainerState c)
    {
        c.WaitingReason = "ContainerCreating";
        var policy = PullPolicy(c);
        var present = _ctx.Images.Has(c.Reference.FullName);
        if (present && policy != "Always")
        {
            Record(c, EventRecorder.Normal, "Pulled", $"Container image \"{c.Image}\" already present on machine");
            Start(c.Name);
            return;
        }
        if (!present && policy == "Never")
        {
            c.WaitingReason = "ErrImageNeverPull";
            c.WaitingMessage = $"Container image \"{c.Image}\" is not present with pull policy of Never";
            Record(c, EventRecorder.Warning, "ErrImageNeverPull", $"Container image \"{c.Image}\" is not present with pull policy of Never");
            MarkDirty();
            return;
        }
        Record(c, EventRecorder.Normal, "Pulling", $"Pulling image \"{c.Image}\"");
        Timers.StartSingleTimer("pull:" + c.Name, new PullDone(c.Name), _ctx.Timing.ImagePullDelay);
        MarkDirty();
    }

    private string PullPolicy(ContainerState c)
    {
        var containers = KubeObject.At(_pod, c.IsInit ? "spec.initContainers" : "spec.containers") as JsonArray;
        var spec = containers?.OfType<JsonObject>().FirstOrDefault(x => KubeObject.String(x, "name") == c.Name);
        return KubeObject.String(spec, "imagePullPolicy")
               ?? (c.Reference.Tag is null or "latest" && c.Reference.Digest is null ? "Always" : "IfNotPresent");
    }

    private void OnPulled(PullDone p)
    {
        if (_runtime.Find(p.Name) is not { } c || _runtime.Terminating) return;
        var took = _ctx.Timing.ImagePullDelay;
        if (_ctx.Catalog.CanPull(c.Reference))
        {
            _pullBackoff.Remove(c.Name);
            _ctx.Images.Add(c.Reference.FullName);
            var seconds = FormatDuration(took);
            Record(c, EventRecorder.Normal, "Pulled",
                $"Successfully pulled image \"{c.Image}\" in {seconds} ({seconds} including waiting). Image size: {_ctx.Catalog.Describe(c.Reference).Size} bytes.");
            Start(c.Name);
            return;
        }

        var why = $"rpc error: code = NotFound desc = failed to pull and unpack image \"{c.Reference.FullName}\": failed to resolve reference \"{c.Reference.FullName}\": {c.Reference.FullName}: not found";
        c.WaitingReason = "ErrImagePull";
        c.WaitingMessage = why;
        Record(c, EventRecorder.Warning, "Failed", $"Failed to pull image \"{c.Image}\": {why}");
        Record(c, EventRecorder.Warning, "Failed", "Error: ErrImagePull");
        var backoff = _pullBackoff.TryGetValue(c.Name, out var b) ? Min(b + b, MaxBackoff) : InitialBackoff;
        _pullBackoff[c.Name] = backoff;
        Timers.StartSingleTimer("backoff:" + c.Name, new StartContainer(c.Name), TimeSpan.FromSeconds(1));
        MarkDirty();
    }

    private void Start(string name)
    {
        if (_runtime.Find(name) is not { } c || _runtime.Terminating) return;
        if (c.WaitingReason is "ErrImagePull" or "ImagePullBackOff")
        {
            // StartContainer after a failed pull: show the back-off, then try the pull again.
            if (c.WaitingReason == "ErrImagePull")
            {
                c.WaitingReason = "ImagePullBackOff";
                c.WaitingMessage = $"Back-off pulling image \"{c.Image}\"";
                Record(c, EventRecorder.Normal, "BackOff", $"Back-off pulling image \"{c.Image}\"");
                Record(c, EventRecorder.Warning, "Failed", "Error: ImagePullBackOff");
                Timers.StartSingleTimer("backoff:" + c.Name, new StartContainer(c.Name), _pullBackoff[c.Name]);
                MarkDirty();
                return;
            }
            Prepare(c);
            return;
        }
        if (c.Phase == ContainerPhase.Running) return;

        if (c.Phase == ContainerPhase.Terminated || c.WaitingReason == "CrashLoopBackOff")
        {
            // A restart: the run that ended becomes lastState (already, after a back-off).
            if (c.Phase == ContainerPhase.Terminated) c.LastTerminated = c.TerminatedJson();
            c.RestartCount++;
            if (PullPolicy(c) == "Always")
            {
                // Always re-resolves the image on every start; the layers are already there.
                Record(c, EventRecorder.Normal, "Pulling", $"Pulling image \"{c.Image}\"");
                Record(c, EventRecorder.Normal, "Pulled",
                    $"Successfully pulled image \"{c.Image}\" in 1ms (1ms including waiting). Image size: {_ctx.Catalog.Describe(c.Reference).Size} bytes.");
            }
        }

        c.ImagePulled = true;
        c.ContainerId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        c.Phase = ContainerPhase.Running;
        c.WaitingReason = "ContainerCreating";
        c.WaitingMessage = null;
        c.StartedAt = Now;
        c.FinishedAt = null;
        c.Run++;
        Record(c, EventRecorder.Normal, "Created", $"Created container: {c.Name}");
        Record(c, EventRecorder.Normal, "Started", $"Started container {c.Name}");

        var readyAfter = c.IsInit ? null : ReadinessDelay(c);
        c.Ready = !c.IsInit && readyAfter is null;
        if (readyAfter is { } delay) Timers.StartSingleTimer("ready:" + c.Name, new BecomeReady(c.Name, c.Run), delay);
        if (c.Program.RunFor is { } runFor) Timers.StartSingleTimer("exit:" + c.Name, new Exited(c.Name, c.Run), runFor);
        MarkDirty();
    }

    private TimeSpan? ReadinessDelay(ContainerState c)
    {
        if (Seconds("kubeemu.io/ready-after") is { } annotated) return annotated;
        var containers = KubeObject.At(_pod, "spec.containers") as JsonArray;
        var spec = containers?.OfType<JsonObject>().FirstOrDefault(x => KubeObject.String(x, "name") == c.Name);
        var delay = KubeObject.Long(KubeObject.At(spec, "readinessProbe.initialDelaySeconds"));
        return delay is > 0 ? TimeSpan.FromSeconds(delay.Value) : null;
    }

    private void OnReady(BecomeReady r)
    {
        if (_runtime.Find(r.Name) is not { } c || c.Run != r.Run || c.Phase != ContainerPhase.Running) return;
        c.Ready = true;
        MarkDirty();
    }

    private void OnExited(Exited e)
    {
        if (_runtime.Find(e.Name) is not { } c || c.Run != e.Run || c.Phase != ContainerPhase.Running || _runtime.Terminating) return;
        var ranFor = Now - c.StartedAt!.Value;
        Stop(c, c.Program.ExitCode, c.Program.ExitCode == 0 ? "Completed" : "Error");
        if (c.IsInit && c.ExitCode == 0)
        {
            c.Ready = true;
            Advance();
            return;
        }
        if (!_runtime.WillRestart(c))
        {
            MarkDirty();
            return;
        }
        if (ranFor >= BackoffReset) c.CrashBackoff = TimeSpan.Zero;
        var delay = c.CrashBackoff;
        c.CrashBackoff = delay == TimeSpan.Zero ? InitialBackoff : Min(delay + delay, MaxBackoff);
        if (delay == TimeSpan.Zero)
        {
            Start(c.Name);
            return;
        }
        // Backing off: the container waits (CrashLoopBackOff) and the run that ended is its lastState.
        c.LastTerminated = c.TerminatedJson();
        c.Phase = ContainerPhase.Waiting;
        c.WaitingReason = "CrashLoopBackOff";
        c.WaitingMessage = $"back-off {FormatBackoff(delay)} restarting failed container={c.Name} pod={PodRef}";
        Record(c, EventRecorder.Warning, "BackOff", $"Back-off restarting failed container {c.Name} in pod {PodRef}");
        Timers.StartSingleTimer("restart:" + c.Name, new StartContainer(c.Name), delay);
        MarkDirty();
    }

    private void Stop(ContainerState c, int exitCode, string reason)
    {
        Timers.Cancel("exit:" + c.Name);
        Timers.Cancel("ready:" + c.Name);
        c.Phase = ContainerPhase.Terminated;
        c.ExitCode = exitCode;
        c.TerminatedReason = reason;
        c.FinishedAt = Now;
        c.Ready = false;
    }

    /// <summary>killPod: SIGTERM every running container; those that ignore it are killed when the grace period ends.</summary>
    private void Terminate()
    {
        _runtime.Terminating = true;
        foreach (var c in _runtime.All)
            foreach (var timer in new[] { "pull:", "start:", "restart:", "backoff:", "exit:", "ready:" })
                Timers.Cancel(timer + c.Name);
        Timers.Cancel("sandbox");
        var grace = TimeSpan.FromSeconds(KubeObject.Long(KubeObject.At(_pod, "metadata.deletionGracePeriodSeconds")) ?? 30);
        var running = _runtime.All.Where(c => c.Phase == ContainerPhase.Running).ToList();
        foreach (var c in running)
        {
            Record(c, EventRecorder.Normal, "Killing", $"Stopping container {c.Name}");
            var stopsAfter = c.Program.HandlesSigterm ? Min(grace, TimeSpan.FromMilliseconds(100)) : grace;
            Timers.StartSingleTimer("kill:" + c.Name, new Killed(c.Name, Graceful: c.Program.HandlesSigterm), stopsAfter);
        }
        MarkDirty();
        if (running.Count == 0) FinalDelete();
    }

    private void OnKilled(Killed k)
    {
        if (_runtime.Find(k.Name) is not { } c || c.Phase != ContainerPhase.Running) return;
        Stop(c, k.Graceful ? 0 : 137, k.Graceful ? "Completed" : "Error");
        MarkDirty();
        if (_runtime.All.All(x => x.Phase != ContainerPhase.Running)) FinalDelete();
    }

    /// <summary>The status manager's last act: once nothing runs, delete the pod for good (grace 0).</summary>
    private void FinalDelete()
    {
        if (_deleting) return;
        _deleting = true;
        var store = _ctx.Store;
        var ns = KubeObject.Namespace(_pod);
        var name = KubeObject.Name(_pod);
        var uid = KubeObject.Uid(_pod);
        var final = _runtime.SandboxReady || _runtime.All.Any(c => c.ContainerId is not null)
            ? WithStatus(_status.Build(_pod, _runtime, Now))
            : null;
        Task.Run(async () =>
        {
            if (final is not null) await store.Update("pods", final, "status");
            return await store.Delete(new Store.DeleteObject("pods", ns, name, 0, uid));
        }).PipeTo(Self, success: r => new DeleteDone(r), failure: e => new DeleteDone(new StoreResult(null, Api.ApiStatus.Internal(e.Message))));
    }

    private void OnDeleteDone(DeleteDone d)
    {
        if (d.Result.Ok || d.Result.IsNotFound) return;
        // The store was away (control plane restarting): try again until the pod is gone.
        _deleting = false;
        Timers.StartSingleTimer("retry-delete", RetryDelete.Instance, TimeSpan.FromSeconds(1));
    }

    private void MarkDirty(bool force = false)
    {
        _dirty = true;
        if (force) _lastWritten = null;
        if (_flushQueued || _writing) return;
        _flushQueued = true;
        Self.Tell(FlushStatus.Instance);
    }

    private void FlushNow()
    {
        _flushQueued = false;
        if (_writing || !_dirty || _deleting) return;
        _dirty = false;
        var status = _status.Build(_pod, _runtime, Now);
        if (_lastWritten is not null && JsonNode.DeepEquals(status, _lastWritten)) return;
        _writing = true;
        _lastWritten = status;
        _ctx.Store.Update("pods", WithStatus(status), "status").PipeTo(Self, success: r => new StatusWritten(r));
    }

    private void OnStatusWritten(StatusWritten w)
    {
        _writing = false;
        if (w.Result.IsNotFound)
        {
            Context.Stop(Self);
            return;
        }
        if (!w.Result.Ok) _lastWritten = null;
        if (_dirty || !w.Result.Ok) MarkDirty();
    }

    private JsonObject WithStatus(JsonObject status)
    {
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = KubeObject.Name(_pod),
                ["namespace"] = KubeObject.Namespace(_pod),
                ["uid"] = KubeObject.Uid(_pod),
            },
            ["status"] = status.DeepClone(),
        };
        return pod;
    }

    private void Record(ContainerState c, string type, string reason, string message) =>
        _ctx.Events.Record(_pod, type, reason, message, $"{(c.IsInit ? "spec.initContainers" : "spec.containers")}{{{c.Name}}}");

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Go's time.Duration formatting for the Pulled event: "300ms", "1.5s".</summary>
    private static string FormatDuration(TimeSpan d) =>
        d < TimeSpan.FromSeconds(1)
            ? $"{(long)d.TotalMilliseconds}ms"
            : $"{d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";

    /// <summary>"10s", "20s", "40s", "1m20s", "2m40s", "5m0s" as the kubelet prints back-off durations.</summary>
    private static string FormatBackoff(TimeSpan d) =>
        d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes}m{d.Seconds}s" : $"{(int)d.TotalSeconds}s";

    private sealed class SandboxReady
    {
        public static readonly SandboxReady Instance = new();
    }

    private sealed class FlushStatus
    {
        public static readonly FlushStatus Instance = new();
    }

    private sealed record PullDone(string Name);

    private sealed record StartContainer(string Name);

    private sealed record Exited(string Name, int Run);

    private sealed record BecomeReady(string Name, int Run);

    private sealed record Killed(string Name, bool Graceful);

    private sealed class RetryDelete
    {
        public static readonly RetryDelete Instance = new();
    }

    private sealed record StatusWritten(StoreResult Result);

    private sealed record DeleteDone(StoreResult Result);
}
