using Akka.KubeEmu.Actors.Api.Objects;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Endpoint;

/// <summary>
/// Which Services select which pods, kept as both change, so that a pod event costs the Services of
/// its labels and a Service sync the pods it selects, never a pass over every Service or pod of a
/// namespace (the endpoints controllers' GetPodServiceMemberships lists the namespace's Services on
/// every pod event). Services are indexed by each label pair of their selector; a pod's candidates are
/// the Services of its own label pairs, then checked against the whole selector.
/// </summary>
public sealed class PodServiceIndex
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _selectors = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Ns, string Key, string Value), HashSet<string>> _byPair = new();
    private readonly Dictionary<string, HashSet<string>> _podsOfService = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _servicesOfPod = new(StringComparer.Ordinal);

    /// <summary>The keys of the pods the Service selects now.</summary>
    public IReadOnlyCollection<string> PodsOf(string serviceKey) =>
        _podsOfService.TryGetValue(serviceKey, out var pods) ? pods : [];

    public IReadOnlyCollection<string> ServicesOf(string podKey) =>
        _servicesOfPod.TryGetValue(podKey, out var services) ? services : [];

    /// <summary>
    /// A Service added, changed or (with null) gone. Only a changed selector costs a look at the
    /// namespace's pods (<paramref name="podsOfNamespace"/> is only called then).
    /// </summary>
    public void SetService(string serviceKey, V1Service? service, Func<IEnumerable<V1Pod>> podsOfNamespace)
    {
        var selector = service?.Spec?.Selector is { Count: > 0 } s && service.Spec.Type != "ExternalName" ? s : null;
        var had = _selectors.TryGetValue(serviceKey, out var old);
        if (had && selector is not null && SameSelector(old!, selector)) return;
        var ns = KubeModels.SplitKey(serviceKey).Namespace;
        if (had)
        {
            foreach (var (k, v) in old!) Unindex((ns, k, v), serviceKey);
            foreach (var pod in PodsOf(serviceKey).ToList()) Leave(pod, serviceKey);
            _selectors.Remove(serviceKey);
            _podsOfService.Remove(serviceKey);
        }
        if (selector is null) return;
        var copy = new Dictionary<string, string>(selector, StringComparer.Ordinal);
        _selectors[serviceKey] = copy;
        foreach (var (k, v) in copy)
        {
            if (!_byPair.TryGetValue((ns, k, v), out var set)) _byPair[(ns, k, v)] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(serviceKey);
        }
        foreach (var pod in podsOfNamespace())
            if (Matches(copy, pod.Metadata?.Labels)) Join(KubeModels.Key(pod), serviceKey);
    }

    /// <summary>A pod added, relabelled or (with null labels and <paramref name="gone"/>) deleted: the Services it left or joined, and those it stays in.</summary>
    public IReadOnlyCollection<string> SetPod(string podKey, IDictionary<string, string>? labels, bool gone = false)
    {
        var affected = new HashSet<string>(ServicesOf(podKey), StringComparer.Ordinal);
        var now = new HashSet<string>(StringComparer.Ordinal);
        if (!gone && labels is { Count: > 0 })
        {
            var ns = KubeModels.SplitKey(podKey).Namespace;
            foreach (var (k, v) in labels)
                if (_byPair.TryGetValue((ns, k, v), out var candidates))
                    foreach (var service in candidates)
                        if (Matches(_selectors[service], labels)) now.Add(service);
        }
        foreach (var left in affected.Where(s => !now.Contains(s)).ToList()) Leave(podKey, left);
        foreach (var joined in now) Join(podKey, joined);
        affected.UnionWith(now);
        return affected;
    }

    private void Join(string pod, string service)
    {
        if (!_podsOfService.TryGetValue(service, out var pods)) _podsOfService[service] = pods = new HashSet<string>(StringComparer.Ordinal);
        pods.Add(pod);
        if (!_servicesOfPod.TryGetValue(pod, out var services)) _servicesOfPod[pod] = services = new HashSet<string>(StringComparer.Ordinal);
        services.Add(service);
    }

    private void Leave(string pod, string service)
    {
        if (_podsOfService.TryGetValue(service, out var pods)) pods.Remove(pod);
        if (_servicesOfPod.TryGetValue(pod, out var services) && services.Remove(service) && services.Count == 0) _servicesOfPod.Remove(pod);
    }

    private void Unindex((string, string, string) pair, string service)
    {
        if (_byPair.TryGetValue(pair, out var set) && set.Remove(service) && set.Count == 0) _byPair.Remove(pair);
    }

    private static bool Matches(IReadOnlyDictionary<string, string> selector, IDictionary<string, string>? labels) =>
        labels is not null && selector.All(p => labels.TryGetValue(p.Key, out var v) && v == p.Value);

    private static bool SameSelector(IReadOnlyDictionary<string, string> a, IDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
}
