using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Node.ConfigObjects;
using Akka.KubeEmu.Actors.Node.Pods;

namespace Akka.KubeEmu.Tests.Node.ConfigObjects;

/// <summary>Pods and a filled node cache for the pure specs of env and volume resolution.</summary>
internal static class ConfigObjectFixtures
{
    public static PodModel Pod(string json) => PodModel.Parse(JsonNode.Parse(json)!.AsObject());

    public static ConfigObjectCache Cache(params (ConfigKind Kind, string Name, string Json)[] objects)
    {
        var cache = new ConfigObjectCache();
        foreach (var (kind, name, json) in objects)
        {
            var obj = JsonNode.Parse(json)!.AsObject();
            obj["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" };
            cache.Set(ConfigObjectCache.Key(kind, "default", name), ConfigObject.From(kind, obj));
        }
        return cache;
    }

    /// <summary>A cache that has listed these names and found nothing.</summary>
    public static ConfigObjectCache Listed(ConfigObjectCache cache, params (ConfigKind Kind, string Name)[] missing)
    {
        foreach (var (kind, name) in missing) cache.Set(ConfigObjectCache.Key(kind, "default", name), null);
        return cache;
    }

    public static string B64(string s) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(s));
}
