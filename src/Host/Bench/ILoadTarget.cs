namespace Akka.KubeEmu.Host.Bench;

/// <summary>A store under load: KubeEmu's API server or etcd's JSON gateway.</summary>
public interface ILoadTarget
{
    string Name { get; }

    /// <summary>One durable write of about 1 KB under a unique key; true on success.</summary>
    Task<bool> Put(string key, CancellationToken ct);

    /// <summary>Reads back an object written by <see cref="Put"/>.</summary>
    Task<bool> Get(string key, CancellationToken ct);
}
