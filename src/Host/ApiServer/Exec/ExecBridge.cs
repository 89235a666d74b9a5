using System.Threading.Channels;
using Akka.Actor;
using Akka.KubeEmu.Actors.Node.Exec;

namespace Akka.KubeEmu.Host.ApiServer.Exec;

/// <summary>The node did not answer the start in time (its process is gone or frozen).</summary>
public sealed record ExecUnreachable;

/// <summary>
/// One exec session between the API server's stream and the pod's worker in its node process
/// (what kube-apiserver's proxy to the kubelet's streaming server is): asks the node's Kubelet to
/// start the command, then passes stdin to the worker that answered and everything the worker
/// sends to the stream. Watches that worker, so a node process that dies ends the session.
/// </summary>
public sealed class ExecBridge : ReceiveActor, IWithTimers
{
    private readonly ChannelWriter<object> _toClient;
    private readonly List<object> _pending = [];
    private readonly string _session;
    private readonly ActorSelection _kubelet;
    private readonly ExecStart _start;
    private readonly TimeSpan _startTimeout;
    private IActorRef? _worker;

    public ExecBridge(ActorSelection kubelet, ExecStart start, ChannelWriter<object> toClient, TimeSpan startTimeout)
    {
        _toClient = toClient;
        _session = start.Session;
        _kubelet = kubelet;
        _start = start;
        _startTimeout = startTimeout;

        Receive<ExecStarted>(m =>
        {
            Timers.Cancel("start");
            _worker = Sender;
            Context.Watch(Sender);
            foreach (var p in _pending) Sender.Tell(p);
            _pending.Clear();
            _toClient.TryWrite(m);
        });
        Receive<ExecOutput>(m => _toClient.TryWrite(m));
        Receive<ExecExited>(m => End(m));
        Receive<ExecUnreachable>(m => End(m));
        Receive<ExecInput>(m =>
        {
            if (_worker is null) _pending.Add(m);
            else _worker.Tell(m);
        });
        Receive<ExecCancel>(m =>
        {
            _worker?.Tell(m);
            _toClient.TryComplete();
            Context.Stop(Self);
        });
        Receive<Terminated>(_ => End(new ExecExited(_session, 0, "error dialing backend: EOF")));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _kubelet.Tell(_start, Self);
        Timers.StartSingleTimer("start", new ExecUnreachable(), _startTimeout);
    }

    public static Props Props(ActorSelection kubelet, ExecStart start, ChannelWriter<object> toClient, TimeSpan startTimeout) =>
        Akka.Actor.Props.Create(() => new ExecBridge(kubelet, start, toClient, startTimeout));

    private void End(object last)
    {
        _toClient.TryWrite(last);
        _toClient.TryComplete();
        Context.Stop(Self);
    }
}
