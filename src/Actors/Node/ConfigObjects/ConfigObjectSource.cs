using Akka.Actor;

namespace Akka.KubeEmu.Actors.Node.ConfigObjects;

/// <summary>
/// What pod workers hold of their process's <see cref="WatchBasedManager"/>: the cache they read
/// and the manager they tell which objects their pod reads.
/// </summary>
public sealed class ConfigObjectSource(ConfigObjectCache cache, IActorRef manager)
{
    /// <summary>No manager: every object is missing (node contexts built by hand).</summary>
    public static readonly ConfigObjectSource None = new(ConfigObjectCache.Empty, ActorRefs.Nobody);

    public ConfigObjectCache Cache { get; } = cache;

    public static ConfigObjectSource Start(IActorRefFactory actors, IActorRef store, TimeProvider time)
    {
        var cache = new ConfigObjectCache();
        return new ConfigObjectSource(cache, actors.ActorOf(WatchBasedManager.Props(store, time, cache), "config-objects"));
    }

    public void Register(RegisterPod registration) => manager.Tell(registration);

    public void Unregister(string podUid) => manager.Tell(new UnregisterPod(podUid));
}
