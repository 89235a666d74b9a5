using Akka.Actor;
using Akka.Cluster;

namespace Akka.KubeEmu.Cluster.Downing;

/// <summary>
/// The cluster's downing provider (akka.cluster.downing-provider-class): a split-brain resolver
/// whose rule is <see cref="ControlPlaneQuorum"/>. Akka's own strategies each break one case
/// this emulator must survive: keep-majority and static-quorum (by role) make the node processes
/// down themselves when the only control plane crashes; keep-oldest does too with one control
/// plane, and makes a control plane down itself when all its node processes die at once. Their
/// strategy classes are internal to Akka.Cluster, so the rule is written here, with Akka's
/// stable-after idea applied per member: a member is downed once it has been unreachable for
/// that long without a break.
/// </summary>
#pragma warning disable CS9113 // Akka's DowningProvider.Load calls the (ActorSystem, Cluster) constructor.
public sealed class ControlPlaneDowningProvider(ActorSystem system, Akka.Cluster.Cluster cluster) : IDowningProvider
#pragma warning restore CS9113
{
    private readonly DowningSettings _settings = DowningSettings.From(system.Settings.Config);

    // akka.cluster.down-removal-margin ("off" is none): how long a downed member's singletons wait before taking over.
    public TimeSpan DownRemovalMargin { get; } =
        system.Settings.Config.GetString("akka.cluster.down-removal-margin", "off") is "off" or "" ? TimeSpan.Zero
            : system.Settings.Config.GetTimeSpan("akka.cluster.down-removal-margin");

    public Props DowningActorProps => ControlPlaneDowning.Props(_settings);
}
