using System.Globalization;
using Akka.KubeEmu.Actors.Node.Shared;
using YamlDotNet.RepresentationModel;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime;

/// <summary>What an image does when the pod gives it no command: serve until stopped, or run and exit.</summary>
public enum ImageBehaviour { Serve, Run }

/// <summary>One repository of the simulated registry (an entry of config/images.yaml).</summary>
/// <param name="Behaviour">Default behaviour without a command.</param>
/// <param name="Command">The image's default command, interpreted like a pod's (busybox: "sh").</param>
/// <param name="RunSeconds">For Run images: how long the default program runs.</param>
/// <param name="ExitCode">For Run images: the default program's exit code.</param>
/// <param name="HandlesSigterm">Whether the default program stops promptly on SIGTERM.</param>
/// <param name="SigtermExitCode">Its exit code when it does.</param>
/// <param name="Size">Image size in bytes (Pulled events, node status).</param>
/// <param name="Tags">The tags that exist; null: any tag pulls.</param>
public sealed record CatalogImage(
    ImageBehaviour Behaviour,
    IReadOnlyList<string>? Command,
    double RunSeconds,
    int ExitCode,
    bool HandlesSigterm,
    int SigtermExitCode,
    long Size,
    IReadOnlySet<string>? Tags)
{
    /// <summary>What the image's program prints when it starts ("stderr: " marks stderr; {time} is nginx's timestamp).</summary>
    public IReadOnlyList<string> Logs { get; init; } = [];

    /// <summary>The ports its server listens on (HTTP).</summary>
    public IReadOnlyList<int> Ports { get; init; } = [];

    /// <summary>The paths its server answers 200 for; empty: every path (an echo server). Others get 404.</summary>
    public IReadOnlyList<string> HttpPaths { get; init; } = [];

    /// <summary>Where its server serves files from: a file the container wrote there answers 200 too.</summary>
    public string? HttpRoot { get; init; }

    /// <summary>How `ps` shows the default program (redis: `redis-server *:6379`); null: the image's name.</summary>
    public string? Process { get; init; }

    /// <summary>The image's ENTRYPOINT where its args matter (coredns: /coredns); empty: args alone are the program.</summary>
    public IReadOnlyList<string> Entrypoint { get; init; } = [];

    /// <summary>What a container runs before its args: its own command, else the image's entrypoint.</summary>
    public IReadOnlyList<string> CommandOr(IReadOnlyList<string> command) => command.Count == 0 ? Entrypoint : command;
}

/// <summary>
/// The simulated registry (config/images.yaml): which images pull, what they do by default and
/// how big they are. A listed repository must list the tag (nginx:1.91 fails to pull, as in
/// the rollout tutorial); an unlisted repository pulls fine and serves until stopped.
/// </summary>
public sealed class ImageCatalog
{
    public static readonly CatalogImage Unlisted = new(ImageBehaviour.Serve, null, 0, 0, true, 0, 50_000_000, null);

    private readonly Dictionary<string, CatalogImage> _byRepository;

    public ImageCatalog(IReadOnlyDictionary<string, CatalogImage> images, bool unlistedPull = true)
    {
        _byRepository = new Dictionary<string, CatalogImage>(StringComparer.Ordinal);
        foreach (var (name, image) in images)
            if (ImageReference.Parse(name, out _) is { } r) _byRepository[r.Repository] = image;
        UnlistedPull = unlistedPull;
    }

    public static ImageCatalog Empty { get; } = new(new Dictionary<string, CatalogImage>());

    /// <summary>Whether a repository missing from the catalog pulls (default) or fails like a private one.</summary>
    public bool UnlistedPull { get; }

    public int Count => _byRepository.Count;

    public CatalogImage? Find(ImageReference image) => _byRepository.GetValueOrDefault(image.Repository);

    public CatalogImage Describe(ImageReference image) => Find(image) ?? Unlisted;

    /// <summary>Whether pulling succeeds: a listed repository must list the tag; digests always resolve.</summary>
    public bool CanPull(ImageReference image) => Find(image) switch
    {
        null => UnlistedPull,
        { Tags: null } => true,
        { Tags: { } tags } => image.Tag is null || tags.Contains(image.Tag),
    };

    /// <summary>A stable "sha256:..." per image, as the imageID shows it.</summary>
    public static string Digest(ImageReference image) => image.Digest ?? "sha256:" + Ids.Sha256Hex(image.FullName);

    /// <summary>The imageID containerd reports: "docker.io/library/nginx@sha256:...".</summary>
    public static string ImageId(ImageReference image) => $"{image.Repository}@{Digest(image)}";

    public static ImageCatalog Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var result = new Dictionary<string, CatalogImage>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return new ImageCatalog(result);
        var unlistedPull = Scalar(root, "unlisted") is not "fail";
        if (Child(root, "images") is not YamlMappingNode images) return new ImageCatalog(result, unlistedPull);
        foreach (var (key, value) in images.Children)
        {
            if (key is not YamlScalarNode { Value: { Length: > 0 } name } || value is not YamlMappingNode entry) continue;
            var behaviour = Scalar(entry, "behaviour") == "run" ? ImageBehaviour.Run : ImageBehaviour.Serve;
            result[name] = new CatalogImage(
                behaviour,
                Child(entry, "command") switch
                {
                    YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? "").ToArray(),
                    YamlScalarNode { Value: { Length: > 0 } s } => s.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                    _ => null,
                },
                Number(entry, "seconds") ?? 0,
                (int)(Number(entry, "exitCode") ?? 0),
                Scalar(entry, "sigterm") is not "ignore",
                (int)(Number(entry, "sigtermExitCode") ?? 0),
                (long)(Number(entry, "size") ?? Unlisted.Size),
                Child(entry, "tags") is YamlSequenceNode tags
                    ? tags.Children.OfType<YamlScalarNode>().Select(t => t.Value ?? "").ToHashSet(StringComparer.Ordinal)
                    : null)
            {
                Logs = Child(entry, "logs") is YamlSequenceNode logs ? logs.Children.OfType<YamlScalarNode>().Select(l => l.Value ?? "").ToArray() : [],
                Ports = Child(entry, "ports") is YamlSequenceNode ports
                    ? ports.Children.OfType<YamlScalarNode>().Select(p => int.TryParse(p.Value, out var port) ? port : 0).Where(p => p > 0).ToArray()
                    : [],
                HttpPaths = Child(entry, "httpPaths") is YamlSequenceNode paths ? paths.Children.OfType<YamlScalarNode>().Select(l => l.Value ?? "").ToArray() : [],
                HttpRoot = Scalar(entry, "httpRoot"),
                Process = Scalar(entry, "process"),
                Entrypoint = Scalar(entry, "entrypoint") is { Length: > 0 } entrypoint ? entrypoint.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [],
            };
        }
        return new ImageCatalog(result, unlistedPull);
    }

    /// <summary>config/images.yaml next to the executable, else the copy embedded in this assembly.</summary>
    public static ImageCatalog LoadDefault(string? path = null)
    {
        var file = path ?? Path.Combine(AppContext.BaseDirectory, "config", "images.yaml");
        if (File.Exists(file)) return Load(File.ReadAllText(file));
        using var embedded = typeof(ImageCatalog).Assembly.GetManifestResourceStream("images.yaml");
        return embedded is null ? Empty : Load(new StreamReader(embedded).ReadToEnd());
    }

    private static YamlNode? Child(YamlMappingNode node, string name) =>
        node.Children.TryGetValue(new YamlScalarNode(name), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string name) => (Child(node, name) as YamlScalarNode)?.Value;

    private static double? Number(YamlMappingNode node, string name) =>
        double.TryParse(Scalar(node, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
