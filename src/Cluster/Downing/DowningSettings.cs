using Akka.Configuration;
using Akka.KubeEmu.Cluster.Bootstrap;

namespace Akka.KubeEmu.Cluster.Downing;

/// <param name="StableAfter">How long a member must stay unreachable without a break before it is downed: a process frozen for less comes back without a restart.</param>
/// <param name="ControlPlaneRole">The role whose members form the quorum.</param>
/// <param name="ControlPlaneStableAfter">
/// The same for a control-plane member. Only a side holding a majority of the control planes downs
/// anyone, so this matters with several of them: the singletons (Store, scheduler, controllers)
/// move only once their member is downed, and the API waits for them meanwhile.
/// </param>
/// <param name="ControlPlaneProbeTimeout">
/// How long a connect to an unreachable control plane's remoting port may take (zero: no probe).
/// One that is refused proves the process gone, and it is downed without waiting out
/// <paramref name="ControlPlaneStableAfter"/>; a frozen or cut-off one still gets all of it.
/// </param>
/// <param name="ControlPlaneWatchInterval">
/// How often a control plane probes the ports of the other control planes while they are reachable
/// (zero: only once unreachable). A killed one is then found within this interval, before the
/// failure detector has missed enough heartbeats to call it unreachable.
/// </param>
public sealed record DowningSettings(TimeSpan StableAfter, string ControlPlaneRole, TimeSpan ControlPlaneStableAfter, TimeSpan ControlPlaneProbeTimeout,
    TimeSpan ControlPlaneWatchInterval)
{
    public static DowningSettings From(Config config)
    {
        var stableAfter = config.GetTimeSpan("kubeemu.downing.stable-after", TimeSpan.FromSeconds(20));
        return new(stableAfter, ClusterRoles.ControlPlane, config.GetTimeSpan("kubeemu.downing.control-plane-stable-after", stableAfter),
            config.GetTimeSpan("kubeemu.downing.control-plane-probe-timeout", TimeSpan.FromMilliseconds(500)),
            config.GetTimeSpan("kubeemu.downing.control-plane-watch-interval", TimeSpan.FromMilliseconds(250)));
    }

    public TimeSpan For(Akka.Cluster.Member member) => member.HasRole(ControlPlaneRole) ? ControlPlaneStableAfter : StableAfter;

    /// <summary>Whether an unreachable member's port is probed for a process that is gone.</summary>
    public bool Probes(Akka.Cluster.Member member) => member.HasRole(ControlPlaneRole) && ControlPlaneProbeTimeout > TimeSpan.Zero;

    /// <summary>Whether a member, itself a control plane, watches the ports of the other control planes.</summary>
    public bool Watches(Akka.Cluster.Member self) => self.HasRole(ControlPlaneRole) && ControlPlaneProbeTimeout > TimeSpan.Zero && ControlPlaneWatchInterval > TimeSpan.Zero;
}
