using System.Collections.Concurrent;

namespace Akka.KubeEmu.Actors.Node.Proxy;

/// <summary>
/// How kube-proxy picks an endpoint for a new connection: at random among the usable ones (iptables'
/// statistic-mode-random chain), or, with sessionAffinity ClientIP, the endpoint this client used
/// last if it is still usable and its affinity has not timed out (timeoutSeconds since the last
/// connection, the "recent" match). Thread-safe: listeners pick on their own threads.
/// </summary>
public sealed class EndpointPicker(TimeProvider time, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string Port, string Client), (Backend Backend, DateTimeOffset Until)>> _affinity = new(StringComparer.Ordinal);

    /// <param name="service">namespace/name; affinity is per service port, as kube-proxy's chains.</param>
    /// <param name="port">The service port's name.</param>
    /// <param name="affinityTimeout">Null: no session affinity.</param>
    public Backend? Pick(string service, string port, IReadOnlyList<Backend> usable, string clientIp, TimeSpan? affinityTimeout)
    {
        if (usable.Count == 0) return null;
        var now = time.GetUtcNow();
        if (affinityTimeout is not { } timeout) return usable[Next(usable.Count)];
        var clients = _affinity.GetOrAdd(service, _ => new ConcurrentDictionary<(string, string), (Backend, DateTimeOffset)>());
        if (clients.TryGetValue((port, clientIp), out var kept) && kept.Until > now && usable.Contains(kept.Backend))
        {
            clients[(port, clientIp)] = (kept.Backend, now + timeout);
            return kept.Backend;
        }
        var chosen = usable[Next(usable.Count)];
        clients[(port, clientIp)] = (chosen, now + timeout);
        return chosen;
    }

    /// <summary>Forgets the affinities of a Service that is gone.</summary>
    public void Forget(string service) => _affinity.TryRemove(service, out _);

    private int Next(int n)
    {
        lock (_random) return _random.Next(n);
    }
}
