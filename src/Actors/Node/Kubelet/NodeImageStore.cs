using System.Text.Json;
using Akka.KubeEmu.Actors.Node.Agent;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;

namespace Akka.KubeEmu.Actors.Node.Kubelet;

/// <summary>
/// The images a node has pulled, on the node's own disk as containerd keeps its content store
/// (&lt;host-path-dir&gt;/&lt;node&gt;/images.json: the references, as <c>crictl images</c> lists them).
/// A restarted node process is a rebooted machine: its pods come back (README), and so do its
/// images, so a pod landing on it after the restart finds "already present on machine" as on a
/// real node. Without a node disk (unit specs, <see cref="InMemory"/>) images last as long as the process.
/// </summary>
public sealed class NodeImageStore(string? file, ImageCatalog catalog, Action<string, Exception>? failed = null)
{
    public const string FileName = "images.json";

    // The node's folder is made by the first save: a thousand hollow nodes each pulling their first
    // image would otherwise pay the directory's checks again on every save.
    private bool _folderMade;

    public static NodeImageStore InMemory(ImageCatalog catalog) => new(null, catalog);

    /// <summary>The store of <paramref name="node"/> on the disk <paramref name="volumes"/> configures, or in memory.</summary>
    public static NodeImageStore For(string node, Volumes.VolumeSettings? volumes, ImageCatalog catalog, Action<string, Exception>? failed = null) =>
        new(volumes is null ? null : Path.Combine(volumes.NodeFolder(node), FileName), catalog, failed);

    /// <summary>
    /// The images found on disk, described again from the catalog. A file that cannot be read is an
    /// empty store (a node whose disk was wiped), never a failed start.
    /// </summary>
    public IReadOnlyList<(ImageReference Reference, NodeImage Image)> Load()
    {
        if (file is null || !File.Exists(file)) return [];
        string[] names;
        try
        {
            names = JsonSerializer.Deserialize<string[]>(File.ReadAllBytes(file)) ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            failed?.Invoke(file, e);
            return [];
        }
        var images = new List<(ImageReference, NodeImage)>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (ImageReference.Parse(name ?? "", out _) is not { } reference || !catalog.CanPull(reference)) continue;
            images.Add((reference, Describe(reference)));
        }
        return images;
    }

    /// <summary>Writes the node's images (a new file renamed over the old one: a crash leaves either).</summary>
    public void Save(IEnumerable<ImageReference> images)
    {
        if (file is null) return;
        try
        {
            if (!_folderMade) Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            _folderMade = true;
            var next = file + ".new";
            File.WriteAllBytes(next, JsonSerializer.SerializeToUtf8Bytes(images.Select(i => i.FullName).Order(StringComparer.Ordinal).ToArray()));
            File.Move(next, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _folderMade = false; // a folder removed meanwhile is made again by the next save
            failed?.Invoke(file, e);
        }
    }

    /// <summary>The image as node.status.images lists it: its id and reference, and its size.</summary>
    public NodeImage Describe(ImageReference reference) =>
        new([ImageCatalog.ImageId(reference), reference.FullName], catalog.Describe(reference).Size);
}
