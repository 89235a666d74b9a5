using Akka.Actor;
using Akka.Configuration;

namespace Akka.KubeEmu.Host.Startup;

/// <summary>
/// A control-plane or node process run inside another .NET process (the scenario kit's in-process
/// cluster, <see cref="InProcess.InProcessCluster"/>): it writes no process record (its pid is the
/// test's: `kubeemu down` or `chaos kill` would kill the test), logs only warnings, and hands its
/// ActorSystem over once started, so that a kill can stop it abruptly.
/// </summary>
public sealed record InProcessHosting(Action<ActorSystem> SystemStarted)
{
    /// <summary>
    /// Over the defaults: only warnings, and an ActorSystem terminated directly stops without its
    /// coordinated shutdown (no graceful leave: the others find it unreachable, as after a SIGKILL).
    /// A host stopped as usual still runs the coordinated shutdown itself.
    /// </summary>
    public static readonly Config Overrides = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        """);
}
