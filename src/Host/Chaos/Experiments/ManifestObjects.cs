using Akka.KubeEmu.Actors.Api.Resources;
using YamlDotNet.RepresentationModel;

namespace Akka.KubeEmu.Host.Chaos.Experiments;

/// <summary>The objects a manifest file holds (every document; List kinds unpacked), as kubectl would name them.</summary>
public static class ManifestObjects
{
    public static IReadOnlyList<ObjectRef> Read(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(path))) yaml.Load(reader);
        var objects = new List<ObjectRef>();
        foreach (var doc in yaml.Documents)
            if (doc.RootNode is YamlMappingNode map) Add(map, objects);
        return objects;
    }

    private static void Add(YamlMappingNode map, List<ObjectRef> objects)
    {
        var apiVersion = Scalar(map, "apiVersion");
        var kind = Scalar(map, "kind");
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && map.Children.TryGetValue(new YamlScalarNode("items"), out var items) && items is YamlSequenceNode list)
        {
            foreach (var item in list.OfType<YamlMappingNode>()) Add(item, objects);
            return;
        }
        var meta = map.Children.TryGetValue(new YamlScalarNode("metadata"), out var m) ? m as YamlMappingNode : null;
        var name = meta is null ? null : Scalar(meta, "name");
        if (apiVersion is null || kind is null || name is null) return;
        var namespaced = ResourceCatalog.FindByKind(apiVersion, kind)?.Namespaced ?? true;
        objects.Add(new ObjectRef(apiVersion, kind, namespaced ? (meta is null ? null : Scalar(meta, "namespace")) ?? "default" : "", name));
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;
}
