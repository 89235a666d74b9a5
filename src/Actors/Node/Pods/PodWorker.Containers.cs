using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Node.Kubelet;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.Shared;

namespace Akka.KubeEmu.Actors.Node.Pods;

// The container half of the pod worker: kuberuntime's startContainer / killContainer and the
// restart decisions of computePodActions + doBackOff, on simulated processes.
public sealed partial class PodWorker
{
    /// <summary>Applies the timed events of <paramref name="c"/> that are due.</summary>
    private void Advance(ContainerRecord c, DateTimeOffset now)
    {
        if (c.Stage == ContainerStage.Running)
        {
            AdvanceProcess(c, now);
            RunProbes(c, now);
            if (c.StartupDoneAt <= now)
            {
                c.StartupDoneAt = null;
                c.Started = true;
            }
            if (c.ReadyAt <= now)
            {
                // Not started yet (startup probe): ready as soon as it is.
                c.ReadyAt = null;
                if (c.Started) c.Ready = true;
                else c.ReadyWhenStarted = true;
            }
            if (c.LivenessFailAt <= now && !c.Stopping)
            {
                c.LivenessFailAt = null;
                var probe = c.Spec.Liveness ?? new ProbeModel(0, 10, 3, "http:80/");
                Event(EventRecorder.Warning, "Unhealthy", "Liveness probe failed: " + probe.FailureMessage(_podIp ?? ""), c);
                // Restarted as the restart policy says, like a crash.
                BeginStop(c, now, _pod.TerminationGracePeriodSeconds, $"Container {c.Name} failed liveness probe, will be restarted", forceRestart: false);
            }
            if (c.ExitAt is { } exitAt && exitAt <= now) Exit(c, exitAt, c.ExitCode, c.ExitReason);
        }
        if (c.DecideAt <= now) DecideRestart(c, now);
        if (c.RestartAt <= now)
        {
            // The back-off is over: this start is the next step of it (doBackOff's Next).
            c.RestartAt = null;
            if (c.Last is { } last) c.CrashBackoff.Next(last.FinishedAt);
            RequestStart(c);
        }
        if (c.ShowPullBackOffAt <= now) ShowImagePullBackOff(c);
        if (c.PullRetryAt <= now)
        {
            c.PullRetryAt = null;
            RequestStart(c);
        }
    }

    private void RequestStart(ContainerRecord c)
    {
        if (c.StartRequested || c.Pulling) return;
        c.StartRequested = true;
        _startQueue.Enqueue(c);
    }

    /// <summary>Containers start one after another, each pulling its image first (SyncPod's loop).</summary>
    private void PumpStartQueue(DateTimeOffset now)
    {
        while (_starting is null && _startQueue.TryDequeue(out var c))
        {
            if (!c.StartRequested) continue;
            c.StartRequested = false;
            if (c.LastPullFailure is { } failed && c.PullBackoff.InBackOffSince(failed, now))
            {
                ShowImagePullBackOff(c);
                continue;
            }
            c.Attempt++;
            c.Pulling = true;
            _starting = c;
            Context.Parent.Tell(new EnsureImage(c.Key, c.Attempt, c.Spec.Image, c.Spec.PullPolicy));
        }
    }

    private ContainerRecord? Find(int key) =>
        key < _init.Length ? _init[key]
        : key - _init.Length < _main.Length ? _main[key - _init.Length]
        : key - _init.Length - _main.Length < _ephemeral.Count ? _ephemeral[key - _init.Length - _main.Length] : null;

    private void OnImageAnswer(ImageAnswer answer)
    {
        if (Find(answer.Container) is not { } c || c.Attempt != answer.Attempt || !c.Pulling) return;
        var image = c.Spec.Image;
        if (answer is ImagePullStarted)
        {
            Event(EventRecorder.Normal, "Pulling", $"Pulling image \"{image}\"", c);
            return;
        }
        c.Pulling = false;
        if (_starting == c) _starting = null;
        if (_pod.Deleting || _terminalPhase is not null) return;
        var now = Now;
        switch (answer)
        {
            case ImagePresent present:
                Event(EventRecorder.Normal, "Pulled", $"Container image \"{image}\" already present on machine", c);
                CreateAndStart(c, present.Reference, now);
                break;
            case ImagePulled pulled:
                Event(EventRecorder.Normal, "Pulled",
                    $"Successfully pulled image \"{image}\" in {GoDuration.Format(pulled.PullTime)} ({GoDuration.Format(pulled.TotalTime)} including waiting). Image size: {pulled.Size} bytes.", c);
                CreateAndStart(c, pulled.Reference, now);
                break;
            case ImagePullFailed failed:
                Event(EventRecorder.Warning, "Failed", $"Failed to pull image \"{image}\": {failed.Error}", c);
                Event(EventRecorder.Warning, "Failed", "Error: ErrImagePull", c);
                c.PullBackoff.Next(now);
                c.LastPullFailure = now;
                SetWaiting(c, "ErrImagePull", failed.Error);
                // The next sync finds the image in back-off; the one after its period pulls again.
                c.ShowPullBackOffAt = now + RelistDelay;
                c.PullRetryAt = now + c.PullBackoff.Current;
                break;
            case ImageInvalid invalid:
                var message = $"Failed to apply default image tag \"{image}\": couldn't parse image reference \"{image}\": {invalid.Error}";
                Event(EventRecorder.Warning, "InspectFailed", message, c);
                Event(EventRecorder.Warning, "Failed", "Error: InvalidImageName", c);
                SetWaiting(c, "InvalidImageName", message);
                c.PullRetryAt = now + SyncRetry; // the pod worker's next sync tries again
                break;
            case ImageNeverPull:
                var never = $"Container image \"{image}\" is not present with pull policy of Never";
                Event(EventRecorder.Warning, "ErrImageNeverPull", never, c);
                Event(EventRecorder.Warning, "Failed", "Error: ErrImageNeverPull", c);
                SetWaiting(c, "ErrImageNeverPull", never);
                c.PullRetryAt = now + SyncRetry;
                break;
        }
    }

    /// <summary>A pod sync that failed is retried after the pod workers' back-off period (10 s).</summary>
    private static readonly TimeSpan SyncRetry = TimeSpan.FromSeconds(10);

    private void ShowImagePullBackOff(ContainerRecord c)
    {
        c.ShowPullBackOffAt = null;
        if (c.Stage != ContainerStage.Waiting || c.LastPullFailure is not { } failed) return;
        var message = $"Back-off pulling image \"{c.Spec.Image}\"";
        Event(EventRecorder.Normal, "BackOff", message, c);
        Event(EventRecorder.Warning, "Failed", "Error: ImagePullBackOff", c);
        SetWaiting(c, "ImagePullBackOff", message);
        c.PullRetryAt ??= failed + c.PullBackoff.Current;
    }

    private static void SetWaiting(ContainerRecord c, string reason, string? message)
    {
        if (c.Stage == ContainerStage.Terminated && c.Terminated is { } t) c.Last = t;
        c.Stage = ContainerStage.Waiting;
        c.Terminated = null;
        c.WaitingReason = reason;
        c.WaitingMessage = message;
        c.Ready = false;
        c.Started = false;
    }

    private void CreateAndStart(ContainerRecord c, ImageReference image, DateTimeOffset now)
    {
        // generateContainerConfig: the environment first; a ConfigMap or Secret it needs may be missing.
        var services = _node.Services.For(_pod.Namespace, _pod.EnableServiceLinks);
        if (!TryResolveEnvironment(c, services, now)) return;
        if (c.Stage == ContainerStage.Terminated && c.Terminated is { } previous) c.Last = previous;
        if (c.EverCreated) c.RestartCount++;
        c.EverCreated = true;
        c.ForceRestart = false;
        c.Done = false;
        c.ContainerId = Ids.ContainerId();
        c.Image = image;
        c.LastPullFailure = null;
        Event(EventRecorder.Normal, "Created", $"Created container: {c.Name}", c);
        // TryResolveEnvironment above set this start's environment.
        if (StartError.Check(ContainerEnvironment.ExpandAll(c.Spec.Command, c.Environment!), image, _node.Images) is { } startError)
        {
            // The task never started: no Started event, startedAt is the zero time, and the restart policy decides.
            Event(EventRecorder.Warning, "Failed", "Error: " + startError, c);
            c.Stage = ContainerStage.Terminated;
            c.Terminated = new TerminatedRun(StartError.ExitCode, StartError.Reason, startError, DateTimeOffset.UnixEpoch, now, c.ContainerId);
            c.WaitingReason = null;
            c.WaitingMessage = null;
            c.ClearRunTimers();
            c.Ready = false;
            c.Started = false;
            c.DecideAt = now + RelistDelay;
            return;
        }
        Event(EventRecorder.Normal, "Started", $"Started container {c.Name}", c);

        c.Stage = ContainerStage.Running;
        c.Terminated = null;
        c.WaitingReason = null;
        c.WaitingMessage = null;
        c.StartedAt = now;
        c.ClearRunTimers();
        var plan = Plan(c, image);
        c.ServiceEnvironment = services;
        c.Plan = plan;
        var annotations = _pod.Annotations;
        // The process decides when it ends by itself; the kubeemu.io annotations may end it sooner.
        if (plan.RunFor is { } runFor && (annotations.CrashLoops(c.Name) || annotations.ExitAfterSeconds(c.Name) is not null))
        {
            c.ExitAt = now + runFor;
            c.ExitCode = plan.ExitCode;
            c.ExitReason = plan.ExitCode == 0 ? "Completed" : "Error";
        }
        StartProcess(c, image, now);
        if (annotations.MemoryUsageBytes(c.Name) is { } usage && c.Spec.MemoryLimitBytes is { } limit && usage > limit)
        {
            var oomAt = now + ProgramTimes.OomAfter;
            if (c.ExitAt is null || oomAt < c.ExitAt)
            {
                c.ExitAt = oomAt;
                c.ExitCode = 137;
                c.ExitReason = "OOMKilled";
            }
        }

        // Probes: started once the startup probe passes, ready once the readiness probe does.
        c.Started = c.Spec.Startup is null;
        StartProbes(c, now);
        var readyAfter = annotations.ReadyAfterSeconds(c.Name) ?? 0;
        // Init and ephemeral containers are never "ready".
        if ((c.Spec.IsInit && !c.Spec.Restartable) || c.Spec.IsEphemeral) readyAfter = double.PositiveInfinity;
        if (ReadinessProbed(c)) readyAfter = double.PositiveInfinity; // the readiness probe decides
        c.Ready = false;
        // Without a readiness probe a container is ready once started (after its startup probe).
        if (!double.IsPositiveInfinity(readyAfter))
            c.ReadyAt = now + TimeSpan.FromSeconds(readyAfter);
        if (annotations.LivenessFailsAfterSeconds(c.Name) is { } failsAfter)
        {
            var probe = c.Spec.Liveness ?? new ProbeModel(0, 10, 3, "http:80/");
            c.LivenessFailAt = now + TimeSpan.FromSeconds(failsAfter + probe.PeriodSeconds * Math.Max(1, probe.FailureThreshold));
        }
        RunPostStart(c, now);
    }

    /// <summary>The simulated process: the container's command, else the image's default, then the kubeemu.io annotations.</summary>
    private ProgramPlan Plan(ContainerRecord c, ImageReference image)
    {
        var mustFinish = (c.Spec.IsInit && !c.Spec.Restartable) || _pod.RestartPolicy is "Never" or "OnFailure";
        var catalog = _node.Images.Describe(image);
        var plan = ContainerProgram.Plan(catalog.CommandOr(c.Spec.Command), c.Spec.Args, catalog, mustFinish, c.Spec.Stdin);
        var a = _pod.Annotations;
        if (a.CrashLoops(c.Name))
            return plan with
            {
                RunFor = TimeSpan.FromSeconds(a.ExitAfterSeconds(c.Name) ?? ProgramTimes.CrashAfter.TotalSeconds),
                ExitCode = a.ExitCodeFor(c.Name) ?? 1,
            };
        if (a.ExitAfterSeconds(c.Name) is { } after)
            return plan with { RunFor = TimeSpan.FromSeconds(after), ExitCode = a.ExitCodeFor(c.Name) ?? 0 };
        if (a.ExitCodeFor(c.Name) is { } code && plan.RunFor is not null) return plan with { ExitCode = code };
        return plan;
    }

    private void Exit(ContainerRecord c, DateTimeOffset at, int exitCode, string reason)
    {
        var files = c.Process?.Files;
        EndProcess(c, at);
        var message = Lifecycle.TerminationMessage.Read(c.Spec, files, c.Log, exitCode);
        c.Terminated = new TerminatedRun(exitCode, reason, message, c.StartedAt ?? at, at, c.ContainerId);
        c.Stage = ContainerStage.Terminated;
        c.ClearRunTimers();
        c.Ready = false;
        c.Started = false;
        if (_pod.Deleting || _eviction is not null)
        {
            c.Done = true;
            return;
        }
        // The kubelet learns of the exit at its next relist and decides then.
        c.DecideAt = at + RelistDelay;
    }

    /// <summary>computePodActions + doBackOff: restart now, later (CrashLoopBackOff), or never.</summary>
    private void DecideRestart(ContainerRecord c, DateTimeOffset now)
    {
        c.DecideAt = null;
        if (c.Stage != ContainerStage.Terminated || c.Terminated is not { } t) return;
        var failed = t.ExitCode != 0;
        // An ephemeral container runs once: the kubelet never restarts it, whatever the pod's policy.
        var restart = !c.Spec.IsEphemeral && (c.ForceRestart || (c.Spec.IsInit
            ? c.Spec.Restartable || (failed && _pod.RestartPolicy != "Never")
            : _pod.RestartPolicy == "Always" || (_pod.RestartPolicy == "OnFailure" && failed)));
        if (!restart)
        {
            c.Done = true;
            return;
        }
        if (!c.ForceRestart && c.CrashBackoff.InBackOffSince(t.FinishedAt, now))
        {
            EnterCrashLoopBackOff(c, t);
            return;
        }
        c.CrashBackoff.Next(t.FinishedAt);
        RequestStart(c);
    }

    private void EnterCrashLoopBackOff(ContainerRecord c, TerminatedRun t)
    {
        var backoff = c.CrashBackoff.Current;
        Event(EventRecorder.Warning, "BackOff", $"Back-off restarting failed container {c.Name} in pod {_pod.Formatted}", c);
        SetWaiting(c, "CrashLoopBackOff", $"back-off {GoDuration.Format(backoff)} restarting failed container={c.Name} pod={_pod.Formatted}");
        c.RestartAt = t.FinishedAt + backoff;
    }

    /// <summary>killContainer: the Killing event, SIGTERM, and SIGKILL when the grace period ends.</summary>
    private void BeginStop(ContainerRecord c, DateTimeOffset now, long graceSeconds, string? message = null, bool forceRestart = false)
    {
        if (c.Stage != ContainerStage.Running || c.Stopping) return;
        Event(EventRecorder.Normal, "Killing", message ?? $"Stopping container {c.Name}", c);
        c.Stopping = true;
        c.ReadyAt = null;
        c.LivenessFailAt = null;
        // The preStop hook runs first, within the grace period; containers always get a short window
        // to stop after SIGTERM (minimumGracePeriodInSeconds).
        var sigtermAt = RunPreStop(c, now, graceSeconds);
        CollectExit(c); // the hook may have stopped the program itself (nginx -s quit)
        var grace = TimeSpan.FromSeconds(Math.Max(2, graceSeconds - (long)(sigtermAt - now).TotalSeconds));
        var plan = c.Plan ?? ProgramPlan.Forever(true);
        var (stopAt, code) = plan.HandlesSigterm ? (sigtermAt + ProgramTimes.SigtermStop, plan.SigtermExitCode) : (sigtermAt + grace, 137);
        c.ForceRestart = forceRestart;
        if (c.ExitAt is { } natural && natural <= stopAt) return; // it ends by itself first
        c.ExitAt = stopAt;
        c.ExitCode = code;
        c.ExitReason = code == 0 ? "Completed" : "Error";
    }

    /// <summary>A container's image changed (kubectl set image on a pod): it is killed and started again.</summary>
    private void ApplySpecChanges(PodModel next)
    {
        AddEphemeralContainers(next);
        if (next.InitContainers.Count != _init.Length || next.Containers.Count != _main.Length) return; // not allowed by validation
        var now = Now;
        foreach (var (c, spec) in _init.Zip(next.InitContainers).Concat(_main.Zip(next.Containers)))
        {
            var imageChanged = c.Spec.Image != spec.Image;
            c.Spec = spec;
            if (!imageChanged || next.Deleting) continue;
            c.LastPullFailure = null;
            c.PullRetryAt = null;
            c.ShowPullBackOffAt = null;
            if (c.Stage == ContainerStage.Running)
                BeginStop(c, now, _pod.TerminationGracePeriodSeconds, $"Container {c.Name} definition changed, will be restarted", forceRestart: true);
            else if (c.Stage == ContainerStage.Waiting && c.EverCreated is false && !c.Pulling) RequestStart(c);
        }
    }

    /// <summary>
    /// A pod this node ran before the process restarted: its containers died with the process,
    /// as on a node reboot. Their counts and history carry over; the sandbox is re-created.
    /// </summary>
    private void AdoptPreviousStatus(JsonObject pod)
    {
        var status = pod["status"] as JsonObject;
        if (status is null || _rejection is not null) return;
        _clock.Seed(status["conditions"] as JsonArray);
        if (KubeObject.ParseTimestamp(KubeObject.String(status, "startTime")) is { } started) _startTime = started;
        var adopted = false;
        adopted |= Adopt(_init, status["initContainerStatuses"] as JsonArray);
        adopted |= Adopt(_main, status["containerStatuses"] as JsonArray);
        adopted |= Adopt(_ephemeral, status["ephemeralContainerStatuses"] as JsonArray);
        if (adopted) Event(EventRecorder.Normal, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
    }

    /// <summary>Ephemeral containers the pod has gained (they are only ever appended): SyncRunning starts them.</summary>
    private void AddEphemeralContainers(PodModel pod)
    {
        for (var i = _ephemeral.Count; i < pod.EphemeralContainers.Count; i++)
            _ephemeral.Add(new ContainerRecord(pod.EphemeralContainers[i], _init.Length + _main.Length + i));
    }

    private bool Adopt(IReadOnlyList<ContainerRecord> records, JsonArray? statuses)
    {
        if (statuses is null) return false;
        var adopted = false;
        var now = Now;
        foreach (var s in statuses.OfType<JsonObject>())
        {
            var c = records.FirstOrDefault(r => r.Name == KubeObject.String(s, "name"));
            if (c is null || KubeObject.String(s, "containerID") is not { } id) continue;
            adopted = true;
            c.EverCreated = true;
            c.RestartCount = s["restartCount"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
            var containerId = id.StartsWith("containerd://", StringComparison.Ordinal) ? id["containerd://".Length..] : id;
            c.ContainerId = containerId;
            if (KubeObject.At(s, "state.terminated") is JsonObject done)
            {
                var run = new TerminatedRun(
                    done["exitCode"] is JsonValue e && e.TryGetValue<int>(out var code) ? code : 0,
                    KubeObject.String(done, "reason") ?? "Completed", null,
                    KubeObject.ParseTimestamp(KubeObject.String(done, "startedAt")) ?? now,
                    KubeObject.ParseTimestamp(KubeObject.String(done, "finishedAt")) ?? now, containerId);
                c.Stage = ContainerStage.Terminated;
                c.Terminated = run;
                // A finished init container stays finished; the rest are restarted as after a reboot.
                if (c.Spec.IsInit && !c.Spec.Restartable && run.ExitCode == 0) continue;
                c.ForceRestart = true;
                c.DecideAt = now;
            }
            else
            {
                var startedAt = KubeObject.ParseTimestamp(KubeObject.ScalarAt(s, "state.running.startedAt")) ?? now;
                c.Stage = ContainerStage.Terminated;
                c.Terminated = new TerminatedRun(255, "Unknown", null, startedAt, now, containerId);
                c.ForceRestart = true;
                c.DecideAt = now;
            }
        }
        return adopted;
    }
}
