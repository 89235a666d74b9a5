using System.Security.Cryptography;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace Akka.KubeEmu.Actors.Node.Runtime;

/// <summary>What an image does when the pod gives it no command.</summary>
public enum ImageBehaviour { Serve, Exit, Run }

/// <summary>One repository of the simulated registry.</summary>
public sealed record CatalogImage(ImageBehaviour Behaviour, long Size, IReadOnlySet<string>? Tags, TimeSpan RunFor);

/// <summary>
/// The simulated registry (config/images.yaml): which images pull, what they do by default and
/// how big they are. Unlisted repositories pull fine and behave like servers.
/// </summary>
public sealed class ImageCatalog(IReadOnlyDictionary<string, CatalogImage> images)
{
    public static readonly CatalogImage Unlisted = new(ImageBehaviour.Serve, 50_000_000, null, TimeSpan.Zero);

    public static ImageCatalog Empty { get; } = new(new Dictionary<string, CatalogImage>());

    public CatalogImage? Find(ImageReference image) => images.GetValueOrDefault(image.CatalogName);

    /// <summary>Whether pulling succeeds: a listed repository must list the tag (digests always resolve).</summary>
    public bool CanPull(ImageReference image) =>
        Find(image) is not { Tags: { } tags } || image.Tag is null || tags.Contains(image.Tag);

    public CatalogImage Describe(ImageReference image) => Find(image) ?? Unlisted;

    /// <summary>A stable sha256 digest per image name, as imageID shows it.</summary>
    public static string Digest(ImageReference image) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image.FullName)));

    public static ImageCatalog Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var result = new Dictionary<string, CatalogImage>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return new ImageCatalog(result);
        if (!root.Children.TryGetValue(new YamlScalarNode("images"), out var imagesNode) || imagesNode is not YamlMappingNode images)
            return new ImageCatalog(result);
        foreach (var (key, value) in images.Children)
        {
            if (value is not YamlMappingNode entry) continue;
            string? Scalar(string name) => entry.Children.TryGetValue(new YamlScalarNode(name), out var n) ? (n as YamlScalarNode)?.Value : null;
            var behaviour = Scalar("behaviour") switch
            {
                "exit" => ImageBehaviour.Exit,
                "run" => ImageBehaviour.Run,
                _ => ImageBehaviour.Serve,
            };
            HashSet<string>? tags = null;
            if (entry.Children.TryGetValue(new YamlScalarNode("tags"), out var tagNode) && tagNode is YamlSequenceNode seq)
                tags = seq.Children.OfType<YamlScalarNode>().Select(t => t.Value ?? "").ToHashSet(StringComparer.Ordinal);
            result[((YamlScalarNode)key).Value ?? ""] = new CatalogImage(behaviour,
                long.TryParse(Scalar("size"), out var size) ? size : Unlisted.Size, tags,
                TimeSpan.FromSeconds(double.TryParse(Scalar("seconds"), System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 5));
        }
        return new ImageCatalog(result);
    }

    /// <summary>The catalog next to the executable (config/images.yaml), or the embedded copy.</summary>
    public static ImageCatalog LoadDefault(string? path = null)
    {
        var file = path ?? Path.Combine(AppContext.BaseDirectory, "config", "images.yaml");
        if (File.Exists(file)) return Load(File.ReadAllText(file));
        using var embedded = typeof(ImageCatalog).Assembly.GetManifestResourceStream("images.yaml");
        return embedded is null ? Empty : Load(new StreamReader(embedded).ReadToEnd());
    }
}
