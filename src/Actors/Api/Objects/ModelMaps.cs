namespace Akka.KubeEmu.Actors.Api.Objects;

/// <summary>Lookups in the model types' maps (annotations, capacity), which are IDictionary and may be null.</summary>
public static class ModelMaps
{
    public static TValue? Lookup<TValue>(this IDictionary<string, TValue>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : default;
}
