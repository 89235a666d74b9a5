using Akka.Actor;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Host.Startup;

namespace Akka.KubeEmu.Host.InProcess;

public enum InProcessState
{
    Running,

    /// <summary>Partitioned (or "frozen") by the kit: running, but cut off from every other process.</summary>
    CutOff,

    /// <summary>Killed, downed, or stopped.</summary>
    Gone,
}

/// <summary>One process of an <see cref="InProcessCluster"/>: the host `kubeemu control-plane` or `kubeemu node` would run, on a task.</summary>
public sealed class InProcessMember
{
    private readonly Func<InProcessHosting, Task<int>> _run;
    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<int>? _running;
    private volatile ActorSystem? _system;
    private volatile bool _killed;

    internal InProcessMember(string name, string role, int akkaPort, string? apiUrl, Func<InProcessHosting, Task<int>> run, int incarnation = 0)
    {
        Name = name;
        Role = role;
        Port = akkaPort;
        AkkaAddress = KubeEmuConfig.AkkaAddress($"127.0.0.1:{akkaPort}");
        ApiUrl = apiUrl;
        Incarnation = incarnation;
        _run = run;
    }

    public string Name { get; }

    public string Role { get; }

    public string AkkaAddress { get; }

    /// <summary>Its Akka port on 127.0.0.1; a restart binds the same one, as the recorded command line would.</summary>
    public int Port { get; }

    public string? ApiUrl { get; }

    /// <summary>How many times this process was restarted.</summary>
    public int Incarnation { get; }

    public InProcessState State { get; internal set; } = InProcessState.Running;

    internal void Start(Action downed)
    {
        var hosting = new InProcessHosting(system =>
        {
            _system = system;
            Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => _up.TrySetResult());
        });
        _running = Task.Run(() => _run(hosting));
        _running.ContinueWith(t =>
        {
            State = InProcessState.Gone;
            _up.TrySetException(new InvalidOperationException(
                $"{Name} stopped before it joined the cluster: {(t.IsFaulted ? t.Exception!.GetBaseException().Message : $"exit code {t.Result}")}"));
            if (!_killed) downed();
        }, TaskScheduler.Default);
    }

    internal async Task WaitUntilUp(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await _up.Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not join the cluster within {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Terminates the ActorSystem without its coordinated shutdown (no leave) and waits until the host has stopped.</summary>
    internal async Task Kill(TimeSpan timeout)
    {
        _killed = true;
        State = InProcessState.Gone;
        if (_running is null) return;
        if (_system is { } system) await system.Terminate().WaitAsync(timeout);
        try
        {
            await _running.WaitAsync(timeout);
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            // How it ended does not matter once it is gone.
        }
    }

    public override string ToString() => $"{Name} ({Role}, {AkkaAddress}, in-process)";
}
