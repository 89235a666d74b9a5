using Akka.Actor;
using Akka.Persistence;

namespace Akka.KubeEmu.Actors.Singletons;

/// <summary>
/// Recovers an empty persistent actor once on every control plane, then stops. A standby control
/// plane otherwise starts its journal and snapshot plugins, opens the database and compiles their
/// queries only when the Store singleton fails over to it: measured on 2 cores, seconds added to
/// the failover, during which the API waits. Reads nothing of the Store's, writes nothing.
/// </summary>
public sealed class JournalWarmup : UntypedPersistentActor
{
    public const string Name = "journal-warmup";

    public override string PersistenceId => "kubeemu-journal-warmup";

    public static Props Props() => Akka.Actor.Props.Create(() => new JournalWarmup());

    protected override void OnRecover(object message)
    {
        if (message is RecoveryCompleted) Context.Stop(Self);
    }

    protected override void OnCommand(object message) => Unhandled(message);
}
