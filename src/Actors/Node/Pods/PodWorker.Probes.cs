using Akka.KubeEmu.Actors.Events;

namespace Akka.KubeEmu.Actors.Node.Pods;

// The prober (pkg/kubelet/prober): startup, liveness and readiness probes of running containers,
// checked against their simulated processes. Until the startup probe succeeds the others wait;
// a failed liveness or startup probe kills the container (restarted as its policy says);
// readiness decides the container's `ready`.
public sealed partial class PodWorker
{
    private void StartProbes(ContainerRecord c, DateTimeOffset now)
    {
        c.Probes.Clear();
        var annotations = _pod.Annotations;
        if (c.Spec.Startup is { } startup) c.Probes.Add(new ProbeWorker(ProbeType.Startup, startup, now));
        // The kubeemu.io annotations replace the probe they stand for.
        if (c.Spec.Liveness is { } liveness && annotations.LivenessFailsAfterSeconds(c.Name) is null)
            c.Probes.Add(new ProbeWorker(ProbeType.Liveness, liveness, now));
        if (c.Spec.Readiness is { } readiness && annotations.ReadyAfterSeconds(c.Name) is null && !(c.Spec.IsInit && !c.Spec.Restartable))
            c.Probes.Add(new ProbeWorker(ProbeType.Readiness, readiness, now));
    }

    /// <summary>The readiness probe decides `ready` (no ReadyAt timer then).</summary>
    private static bool ReadinessProbed(ContainerRecord c) => c.Probes.Find(ProbeType.Readiness) is not null;

    private void RunProbes(ContainerRecord c, DateTimeOffset now)
    {
        if (c.Stage != ContainerStage.Running || c.Stopping) return;
        while (c.Probes.Workers.Where(w => w.NextAt <= now).MinBy(w => w.NextAt) is { } worker)
        {
            var at = worker.NextAt!.Value;
            worker.NextAt = at + TimeSpan.FromSeconds(worker.Spec.PeriodSeconds);
            Check(c, worker, at);
            if (c.Stopping || c.Stage != ContainerStage.Running) return;
        }
    }

    private void Check(ContainerRecord c, ProbeWorker worker, DateTimeOffset at)
    {
        // Liveness and readiness do not run before the startup probe has succeeded.
        if (worker.Type != ProbeType.Startup && !c.Started) return;
        var (success, message) = ProbeRunner.Run(worker.Spec, c, All, _podIp ?? "", at);
        var name = worker.Type.ToString();
        if (!success) Event(EventRecorder.Warning, "Unhealthy", $"{name} probe failed: {message}", c);
        if (!worker.Record(success)) return;
        switch (worker.Type)
        {
            case ProbeType.Startup when worker.Result == true:
                worker.NextAt = null;
                c.Started = true;
                if (c.ReadyWhenStarted) c.Ready = true;
                break;
            case ProbeType.Readiness:
                c.Ready = worker.Result == true && c.Started;
                break;
            case ProbeType.Startup or ProbeType.Liveness when worker.Result == false:
                c.Probes.Hold();
                c.Ready = false;
                var grace = worker.Spec.TerminationGracePeriodSeconds ?? _pod.TerminationGracePeriodSeconds;
                BeginStop(c, at, grace, $"Container {c.Name} failed {name.ToLowerInvariant()} probe, will be restarted", forceRestart: false);
                break;
        }
    }
}
