using Akka.Actor;
using Akka.KubeEmu.Actors.Node.Agent;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;

namespace Akka.KubeEmu.Actors.Node.Kubelet;

/// <summary>
/// The node's images (pkg/kubelet/images): which are present, and the serial puller the kubelet
/// uses by default (serializeImagePulls: one pull at a time per node, the others wait, which
/// the Pulled event reports as "including waiting"). The Kubelet actor drives it and owns the
/// one timer of the pull in progress. The images start as the node's disk has them (<see cref="NodeImageStore"/>).
/// </summary>
public sealed class ImageManager
{
    private readonly ImageCatalog _catalog;
    private readonly TimeSpan _pullDelay;
    private readonly NodeImageStore _store;
    private readonly Dictionary<string, (ImageReference Reference, NodeImage Image)> _present = new(StringComparer.Ordinal);
    private readonly Queue<Pull> _queue = new();

    public sealed record Pull(IActorRef Requester, EnsureImage Request, ImageReference Reference, bool Present, DateTimeOffset QueuedAt)
    {
        public DateTimeOffset StartedAt { get; set; }
    }

    /// <summary>The pull in progress, if any.</summary>
    public Pull? Current { get; private set; }

    public ImageManager(ImageCatalog catalog, TimeSpan pullDelay, NodeImageStore? store = null)
    {
        _catalog = catalog;
        _pullDelay = pullDelay;
        _store = store ?? NodeImageStore.InMemory(catalog);
        foreach (var (reference, image) in _store.Load()) _present[reference.FullName] = (reference, image);
    }

    public IReadOnlyList<NodeImage> Images => _present.Values.Select(p => p.Image).ToArray();

    /// <summary>
    /// Answers at once when no pull is needed (or possible); otherwise queues the pull, answers
    /// <see cref="ImagePullStarted"/>.
    /// </summary>
    public ImageAnswer Ensure(EnsureImage request, IActorRef requester, DateTimeOffset now)
    {
        var reference = ImageReference.Parse(request.Image, out var error);
        if (reference is null) return new ImageInvalid(request.Container, request.Attempt, error ?? "invalid reference format");
        var present = _present.ContainsKey(reference.FullName);
        switch (request.PullPolicy)
        {
            case "Never":
                return present ? new ImagePresent(request.Container, request.Attempt, reference) : new ImageNeverPull(request.Container, request.Attempt);
            case "IfNotPresent" when present:
                return new ImagePresent(request.Container, request.Attempt, reference);
        }
        _queue.Enqueue(new Pull(requester, request, reference, present, now));
        return new ImagePullStarted(request.Container, request.Attempt);
    }

    /// <summary>Starts the next queued pull when none is running; returns how long it takes.</summary>
    public TimeSpan? StartNext(DateTimeOffset now)
    {
        if (Current is not null || !_queue.TryDequeue(out var next)) return null;
        Current = next;
        next.StartedAt = now;
        // Pulling an image already present (asked for again with Always, or pulled by a request
        // queued ahead of this one) only resolves its manifest: containerd has every layer.
        return next.Present || _present.ContainsKey(next.Reference.FullName) ? _pullDelay / 4 : _pullDelay;
    }

    /// <summary>Completes the pull in progress: the answer for its requester, and whether the node's images changed.</summary>
    public (IActorRef Requester, ImageAnswer Answer, bool ImagesChanged)? Complete(DateTimeOffset now)
    {
        if (Current is not { } pull) return null;
        Current = null;
        var r = pull.Request;
        if (!_catalog.CanPull(pull.Reference))
            return (pull.Requester, new ImagePullFailed(r.Container, r.Attempt, PullError(pull.Reference)), false);
        var image = _store.Describe(pull.Reference);
        var changed = _present.TryAdd(pull.Reference.FullName, (pull.Reference, image));
        if (changed) _store.Save(_present.Values.Select(p => p.Reference));
        return (pull.Requester, new ImagePulled(r.Container, r.Attempt, pull.Reference, image.SizeBytes, now - pull.StartedAt, now - pull.QueuedAt), changed);
    }

    /// <summary>containerd's error for a tag or repository the registry does not have, as the kubelet wraps it.</summary>
    private string PullError(ImageReference image)
    {
        var name = image.FullName;
        return _catalog.Find(image) is not null
            ? $"rpc error: code = NotFound desc = failed to pull and unpack image \"{name}\": failed to resolve reference \"{name}\": {name}: not found"
            : $"rpc error: code = Unknown desc = failed to pull and unpack image \"{name}\": failed to resolve reference \"{name}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed";
    }
}
