using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Node.Exec;
using Akka.KubeEmu.Actors.Node.Kubelet;
using Akka.KubeEmu.Actors.Node.Logs;
using Akka.KubeEmu.Actors.Node.Network;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Node.Pods;

/// <summary>How a PodWorker begins.</summary>
/// <param name="PodIp">The address the sandbox gets (reserved by the Kubelet).</param>
/// <param name="Rejection">Set when node admission refused the pod: the worker only reports that.</param>
public sealed record PodWorkerStart(string? PodIp, (string Reason, string Message)? Rejection = null);

/// <summary>
/// The kubelet's pod worker for one pod (pkg/kubelet/pod_workers.go with kuberuntime's SyncPod),
/// with the simulated container runtime inside: the sandbox, then init containers one by one,
/// then the regular containers, restarts with CrashLoopBackOff, graceful termination. Containers
/// are plain state (<see cref="ContainerRecord"/>); the worker keeps one timer, for the earliest
/// pending event of the pod, and no timer at all while nothing is pending.
/// <para>
/// Status writes are coalesced: whatever changes while a write is in flight goes out in the
/// next one. The worker is level-triggered: every message ends in <see cref="Sync"/>, which
/// moves the pod forward from its current state.
/// </para>
/// </summary>
public sealed partial class PodWorker : UntypedActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly NodeContext _node;
    private readonly string? _podIp;
    private readonly (string Reason, string Message)? _rejection;
    private readonly ConditionClock _clock = new();
    private readonly Queue<ContainerRecord> _startQueue = new();

    private PodModel _pod;
    private RawJson _latest;
    private ContainerRecord[] _init;
    private ContainerRecord[] _main;
    private readonly List<ContainerRecord> _ephemeral = [];

    private DateTimeOffset _startTime;
    private DateTimeOffset? _sandboxReadyAt;
    private bool _sandboxReady;
    private bool _initialized;
    private ContainerRecord? _starting;
    private string? _terminalPhase;
    private bool _terminalReported;
    private DateTimeOffset? _wakeAt;

    public PodWorker(NodeContext node, RawJson pod, PodWorkerStart start)
    {
        _node = node;
        _latest = pod;
        _podIp = start.PodIp;
        _rejection = start.Rejection;
        var obj = KubeObject.Parse(pod.Utf8);
        _pod = PodModel.Parse(obj);
        _init = _pod.InitContainers.Select((c, i) => new ContainerRecord(c, i)).ToArray();
        _main = _pod.Containers.Select((c, i) => new ContainerRecord(c, _init.Length + i)).ToArray();
        AddEphemeralContainers(_pod);
        _startTime = node.Now;
        AdoptPreviousStatus(obj);
    }

    public static Props Props(NodeContext node, RawJson pod, PodWorkerStart start) =>
        Akka.Actor.Props.Create(() => new PodWorker(node, pod, start));

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTimeOffset Now => _node.Now;

    private IEnumerable<ContainerRecord> All => _init.Concat(_main).Concat(_ephemeral);

    /// <summary>How soon the kubelet notices a change in the runtime (its PLEG relists every second).</summary>
    private TimeSpan RelistDelay => _node.Timing.PodStartupDelay < TimeSpan.FromSeconds(1) ? _node.Timing.PodStartupDelay : TimeSpan.FromSeconds(1);

    protected override void PreStart()
    {
        if (_rejection is { } r) Event(EventRecorder.Warning, r.Reason, r.Message);
        else RegisterConfigObjects();
        JoinPodNetwork();
        Sync();
    }

    protected override void PostStop()
    {
        UnregisterConfigObjects();
        UnmountPersistentVolumes();
        LeavePodNetwork();
        EndExecSessions();
        foreach (var c in All) c.Process?.StopNetwork();
        base.PostStop();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case PodChanged changed: OnPodChanged(changed.Pod); break;
            case ImageAnswer answer: OnImageAnswer(answer); break;
            case Wake:
                _wakeAt = null; // fired (perhaps early, by the clock): Sync sets the next one
                break;
            case FlushStatus: OnFlushStatus(); return;
            case StatusWritten written: OnStatusWritten(written); return;
            case LatestRead read: OnLatestRead(read); break;
            case PodDeleted deleted: OnPodDeleted(deleted); return;
            case RetryDelete: TryDelete(); return;
            case ContainerLogRequest request: OnLogRequest(request); break;
            case ExecStart start: OnExecStart(start); break;
            case ExecInput input: OnExecInput(input); break;
            case ExecCancel cancel: OnExecCancel(cancel); return;
            case ExecDue due: OnExecDue(due); return;
            case ExecResume resume: OnExecResume(resume); break;
            case ProcessNetworkAnswered answered: OnProcessNetworkAnswered(answered); break;
            case PodConnect connect: OnPodConnect(connect); return;
            case PodHttpRequest request: OnPodHttpRequest(request); return;
            case PodMysqlQuery query: OnPodMysqlQuery(query); return;
            case ReplicaCaughtUp caughtUp: OnReplicaCaughtUp(caughtUp); return;
            case PodDatagram datagram: OnPodDatagram(datagram); return;
            case PersistentVolumeMounted mounted: OnPersistentVolumeMounted(mounted); break;
            default: Unhandled(message); return;
        }
        Sync();
    }

    private void OnPodChanged(RawJson raw, JsonObject? parsed = null)
    {
        var obj = parsed ?? KubeObject.Parse(raw.Utf8);
        // Another pod of the name, a version older than we know, or the one we have (the answer to our
        // own status write brings it before the watch does): nothing to read into the model.
        var rv = long.TryParse(KubeObject.ResourceVersion(obj), out var v) ? v : 0;
        if ((KubeObject.Uid(obj) ?? "") != _pod.Uid || rv <= _pod.ResourceVersion) return;
        var next = PodModel.Parse(obj);
        _latest = raw;
        ApplySpecChanges(next);
        _pod = next;
    }

    /// <summary>Moves the pod forward from where it stands; called after every message.</summary>
    private void Sync()
    {
        var now = Now;
        if (_rejection is null)
        {
            if (_pod.Deleting || _eviction is not null || CheckActiveDeadline(now)) SyncTermination(now);
            else if (_terminalPhase is null) SyncRunning(now);
        }
        ScheduleWake(now);
        MarkDirty();
        SyncExecSessions();
    }

    private void SyncRunning(DateTimeOffset now)
    {
        if (!_sandboxReady)
        {
            if (!MountVolumes(now)) return; // the sandbox waits for the pod's volumes
            _sandboxReadyAt ??= now + _node.Timing.PodStartupDelay;
            if (now < _sandboxReadyAt) return;
            _sandboxReady = true;
        }
        foreach (var c in All) Advance(c, now);
        if (_terminalPhase is not null) return;
        ResyncVolumes(now);
        // Ephemeral containers start before init containers (SyncPod's step 5): debugging a pod whose
        // init containers fail must work.
        foreach (var c in _ephemeral)
            if (!c.EverCreated && !c.Pulling && !c.StartRequested && c.PullRetryAt is null && c.ShowPullBackOffAt is null) RequestStart(c);

        // Once initialized, a pod stays so: a sidecar restarting later does not hold the app back.
        if (!_initialized)
        {
            _initialized = true;
            foreach (var c in _init)
            {
                if (c.Spec.Restartable ? c.Started : c.Succeeded) continue;
                _initialized = false;
                if (!c.EverCreated && !c.Pulling && !c.StartRequested && c.PullRetryAt is null && c.ShowPullBackOffAt is null) RequestStart(c);
                break;
            }
        }
        if (_initialized)
            foreach (var c in _main)
                if (!c.EverCreated && !c.Pulling && !c.StartRequested && c.PullRetryAt is null && c.ShowPullBackOffAt is null)
                    RequestStart(c);
        PumpStartQueue(now);
        CheckTerminal();
    }

    /// <summary>Restart policy Never/OnFailure pods end when no container will run again.</summary>
    private void CheckTerminal()
    {
        if (_init.FirstOrDefault(c => !c.Spec.Restartable && c.Done && !c.Succeeded) is not null)
        {
            BecomeTerminal("Failed");
            return;
        }
        if (_main.Length == 0 || !_main.All(c => c.Done)) return;
        BecomeTerminal(_main.All(c => c.Succeeded) ? "Succeeded" : "Failed");
    }

    private void BecomeTerminal(string phase)
    {
        _terminalPhase = phase;
        foreach (var c in All)
        {
            c.ClearRetryTimers();
            if (c.Stage == ContainerStage.Running) c.ClearRunTimers();
        }
        _startQueue.Clear();
        if (_terminalReported) return;
        _terminalReported = true;
        Context.Parent.Tell(new PodTerminal(_pod.Uid));
    }

    private void ScheduleWake(DateTimeOffset now)
    {
        DateTimeOffset? due = !_sandboxReady && _sandboxReadyAt is { } s && !_pod.Deleting && _rejection is null ? s : null;
        foreach (var c in All)
            if (c.NextDue() is { } t && (due is null || t < due)) due = t;
        if (VolumeDue() is { } v && (due is null || v < due)) due = v;
        if (ActiveDeadline is { } d && (due is null || d < due)) due = d;
        if (due == _wakeAt) return; // that timer is already set
        _wakeAt = due;
        if (due is { } at) Timers.StartSingleTimer("wake", Wake.Instance, at > now ? at - now : TimeSpan.Zero);
        else Timers.Cancel("wake");
    }

    private void Event(string type, string reason, string message, ContainerRecord? container = null)
    {
        // Built per event rather than kept: 150,000 workers should not each hold a JSON tree.
        var reference = Reference(_pod);
        if (container is not null) reference["fieldPath"] = container.Spec.FieldPath;
        _ = _node.Events.RecordAbout(reference, type, reason, message);
    }

    /// <summary>The kubelet's reference to a pod; no resourceVersion, so that repeats aggregate.</summary>
    private static JsonObject Reference(PodModel pod) => new()
    {
        ["kind"] = "Pod",
        ["namespace"] = pod.Namespace,
        ["name"] = pod.Name,
        ["uid"] = pod.Uid,
        ["apiVersion"] = "v1",
    };

    private sealed class Wake
    {
        public static readonly Wake Instance = new();
    }
}
