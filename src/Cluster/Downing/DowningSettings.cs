using Akka.Configuration;
using Akka.KubeEmu.Cluster.Bootstrap;

namespace Akka.KubeEmu.Cluster.Downing;

/// <param name="StableAfter">How long a member must stay unreachable without a break before it is downed: a process frozen for less comes back without a restart.</param>
/// <param name="ControlPlaneRole">The role whose members form the quorum.</param>
public sealed record DowningSettings(TimeSpan StableAfter, string ControlPlaneRole)
{
    public static DowningSettings From(Config config) =>
        new(config.GetTimeSpan("kubeemu.downing.stable-after", TimeSpan.FromSeconds(20)), ClusterRoles.ControlPlane);
}
