using System.Reflection;
using System.Xml.Linq;

namespace Akka.KubeEmu.Actors.Api.Schema;

/// <summary>
/// Field descriptions from KubernetesClient's XML documentation (they are the Kubernetes API
/// docs), so that `kubectl explain` reads as on a real cluster. Empty when the file is absent.
/// </summary>
public static class XmlDocs
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Members = new(Load);

    public static string? Property(PropertyInfo property) =>
        Members.Value.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}");

    public static string? Type(Type type) => Members.Value.GetValueOrDefault($"T:{type.FullName}");

    private static IReadOnlyDictionary<string, string> Load()
    {
        var path = Path.ChangeExtension(typeof(k8s.Models.V1Pod).Assembly.Location, ".xml");
        if (!File.Exists(path)) return new Dictionary<string, string>();
        try
        {
            return XDocument.Load(path).Descendants("member")
                .Where(m => m.Attribute("name") is not null && m.Element("summary") is not null)
                .GroupBy(m => m.Attribute("name")!.Value)
                .ToDictionary(g => g.Key, g => Normalize(g.First().Element("summary")!.Value));
        }
        catch (Exception e) when (e is IOException or System.Xml.XmlException)
        {
            return new Dictionary<string, string>();
        }
    }

    private static string Normalize(string text) =>
        string.Join(" ", text.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim())).Trim();
}
