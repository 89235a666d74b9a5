using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Selectors;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>One watch: who receives it and which objects it selects.</summary>
public sealed class Watcher(string id, IActorRef subscriber, string resource, string? ns, LabelSelector labels, FieldSelector fields)
{
    public string Id { get; } = id;
    public IActorRef Subscriber { get; } = subscriber;
    public string Resource { get; } = resource;
    public string? Namespace { get; } = ns;
    public LabelSelector Labels { get; } = labels;
    public FieldSelector Fields { get; } = fields;

    /// <summary>Changes at or below this resourceVersion were delivered by the initial replay.</summary>
    public long StartResourceVersion { get; set; }

    /// <summary>Events queued or sent that the subscriber has not acknowledged yet (its buffer, in kube-apiserver's terms).</summary>
    public int Unacknowledged { get; set; }

    /// <summary>Value of the resource's indexed field this watcher requires (e.g. spec.nodeName for pods), if any.</summary>
    public string? IndexValue { get; init; }

    public bool Matches(StoredObject? o) =>
        o is not null
        && (Namespace is null || o.Namespace == Namespace)
        && Labels.Matches(o.Labels)
        && Fields.Matches(o.Fields);
}
