using Akka.Actor;

namespace Akka.KubeEmu.Actors.Informers;

/// <summary>
/// One change of one object as a handler sees it: Old null = added, New null = deleted (Old is
/// the last state known), both set = updated; on a resync Old and New are the same object.
/// </summary>
public sealed record ObjectChange(object? Old, object? New);

/// <summary>Changes of an informer's objects, in order; the cache already holds them (or newer).</summary>
public sealed record InformerEvents(string Informer, IReadOnlyList<ObjectChange> Changes);

/// <summary>The informer's cache holds its first complete list (WaitForCacheSync is over).</summary>
public sealed record InformerSynced(string Informer);

/// <summary>
/// Registers an event handler (an actor); it first receives the cached objects as additions if the
/// informer has synced. <paramref name="ResyncPeriod"/> &gt; 0 re-sends every object as an update
/// that often, for controllers that must re-check what no event announces.
/// </summary>
public sealed record AddEventHandler(IActorRef Handler, TimeSpan ResyncPeriod);
