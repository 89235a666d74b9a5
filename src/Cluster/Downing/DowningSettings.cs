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
public sealed record DowningSettings(TimeSpan StableAfter, string ControlPlaneRole, TimeSpan ControlPlaneStableAfter)
{
    public static DowningSettings From(Config config)
    {
        var stableAfter = config.GetTimeSpan("kubeemu.downing.stable-after", TimeSpan.FromSeconds(20));
        return new(stableAfter, ClusterRoles.ControlPlane, config.GetTimeSpan("kubeemu.downing.control-plane-stable-after", stableAfter));
    }

    public TimeSpan For(Akka.Cluster.Member member) => member.HasRole(ControlPlaneRole) ? ControlPlaneStableAfter : StableAfter;
}
