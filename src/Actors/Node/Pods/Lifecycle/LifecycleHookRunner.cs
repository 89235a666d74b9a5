using Akka.KubeEmu.Actors.Api.Validation;

namespace Akka.KubeEmu.Actors.Node.Pods.Lifecycle;

/// <summary>What running a hook came to: the kubelet's error message (null: it succeeded) and the time it took.</summary>
public sealed record HookOutcome(string? Error, TimeSpan Took);

/// <summary>
/// The kubelet's lifecycle handler runner (pkg/kubelet/lifecycle/handlers.go) against the simulated
/// container: an exec runs in the container's shell (its files, its environment) and fails on a
/// non-zero exit; an httpGet fails only when nothing answers (the status code is not checked, as in
/// the kubelet); a sleep takes its seconds; a tcpSocket handler is accepted and does nothing.
/// Hooks run in virtual time: their sleeps are counted, not waited.
/// </summary>
public static class LifecycleHookRunner
{
    /// <param name="limit">How long the hook may take at most (the kubelet gives an exec hook no timeout of its own; a preStop is cut short by the grace period).</param>
    public static HookOutcome Run(LifecycleHookModel hook, ContainerRecord container, IEnumerable<ContainerRecord> pod, string podIp, string podFormatted,
        TimeSpan limit, DateTimeOffset now)
    {
        switch (hook.Kind)
        {
            case LifecycleHandler.Exec:
                if (container.Process is not { } process) return new HookOutcome(null, TimeSpan.Zero);
                var result = process.Exec(hook.Command, limit, now);
                if (result.TimedOut) return new HookOutcome(null, limit);
                if (result.ExitCode == 0) return new HookOutcome(null, result.Took);
                var joined = string.Join(' ', hook.Command);
                return new HookOutcome(
                    $"Exec lifecycle hook ([{joined}]) for Container \"{container.Name}\" in Pod \"{podFormatted}\" failed - error: command '{joined}' exited with {result.ExitCode}: , message: {GoSyntax.Quote(result.Output)}",
                    result.Took);
            case LifecycleHandler.HttpGet:
                var error = HttpError(hook, container, pod, podIp);
                return new HookOutcome(error is null ? null : $"HTTP lifecycle hook ({hook.Path}) for Container \"{container.Name}\" in Pod \"{podFormatted}\" failed - error: {error}", TimeSpan.Zero);
            case LifecycleHandler.Sleep:
                var sleep = TimeSpan.FromSeconds(hook.SleepSeconds);
                return new HookOutcome(null, sleep < limit ? sleep : limit);
            default:
                return new HookOutcome(null, TimeSpan.Zero);
        }
    }

    private static string? HttpError(LifecycleHookModel hook, ContainerRecord container, IEnumerable<ContainerRecord> pod, string podIp)
    {
        if (ProbeRunner.ResolvePort(hook.Port, container.Spec) is not { } port || port <= 0)
            return $"unable to find port \"{hook.Port}\" in container {container.Name}";
        var host = hook.Host ?? podIp;
        var url = $"{hook.Scheme.ToLowerInvariant()}://{host}:{port}{(hook.Path.StartsWith('/') ? "" : "/")}{hook.Path}";
        var listener = ProbeRunner.Listener(pod, port);
        if (listener is null) return $"Get \"{url}\": dial tcp {host}:{port}: connect: connection refused";
        return listener.Ports[port] ? null : $"Get \"{url}\": EOF";
    }
}
