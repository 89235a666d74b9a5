using Akka.Configuration;

namespace Akka.KubeEmu.Actors.Node.Volumes;

/// <summary>
/// Where volume data lives on this machine (HOCON kubeemu.volumes): one folder per
/// PersistentVolume under <paramref name="VolumesDirectory"/>, and the emulated nodes' own disks
/// (hostPath volumes) under <paramref name="HostPathDirectory"/>/&lt;node&gt;. Every process of a
/// cluster is given the same folders (the state directory's, unless configured), which is what
/// makes a volume reachable from the node a pod moves to and after a restart of every process.
/// </summary>
/// <param name="MaxFileBytes">A file of a volume on disk is cut at this size, as a full disk would cut it.</param>
public sealed record VolumeSettings(string VolumesDirectory, string HostPathDirectory, long MaxFileBytes)
{
    public const string ConfigPath = "kubeemu.volumes";

    public const long DefaultMaxFileBytes = 8 * 1024 * 1024;

    /// <summary>The settings of a process's HOCON; null when no folder is configured (volumes stay in memory).</summary>
    public static VolumeSettings? From(Config config)
    {
        var volumes = config.GetConfig(ConfigPath);
        if (volumes is null || volumes.IsEmpty) return null;
        var dir = volumes.GetString("dir", "");
        var hostPath = volumes.GetString("host-path-dir", "");
        if (string.IsNullOrWhiteSpace(dir) || string.IsNullOrWhiteSpace(hostPath)) return null;
        var max = Shared.Quantities.Value(volumes.GetString("max-file-size", null)) ?? DefaultMaxFileBytes;
        return new VolumeSettings(Path.GetFullPath(dir), Path.GetFullPath(hostPath), Math.Max(1024, max));
    }

    /// <summary>
    /// The process's HOCON with the folders filled in from its state directory where the
    /// configuration leaves them empty: &lt;state-dir&gt;/volumes and &lt;state-dir&gt;/nodes.
    /// </summary>
    public static Config WithStateDirectory(Config config, string stateDir)
    {
        static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        var dir = config.GetString(ConfigPath + ".dir", "");
        var hostPath = config.GetString(ConfigPath + ".host-path-dir", "");
        var fill = new List<string>();
        if (string.IsNullOrWhiteSpace(dir)) fill.Add($"{ConfigPath}.dir = {Quote(Path.Combine(stateDir, "volumes"))}");
        if (string.IsNullOrWhiteSpace(hostPath)) fill.Add($"{ConfigPath}.host-path-dir = {Quote(Path.Combine(stateDir, "nodes"))}");
        return fill.Count == 0 ? config : ConfigurationFactory.ParseString(string.Join("\n", fill)).WithFallback(config);
    }

    /// <summary>The folder of a PersistentVolume's data.</summary>
    public string VolumeFolder(string volumeName) => Path.Combine(VolumesDirectory, VolumeFolderName(volumeName));

    /// <summary>A path of an emulated node's disk: the real host path is never touched.</summary>
    public string HostFolder(string node, string hostPath) =>
        Path.Combine(NodeFolder(node), "root", ContainerRuntime.Process.ContainerFileSystem.Normalize(hostPath).TrimStart('/'));

    /// <summary>An emulated node's own disk: its hostPath tree under root/, and what the runtime keeps (its images).</summary>
    public string NodeFolder(string node) => Path.Combine(HostPathDirectory, VolumeFolderName(node));

    /// <summary>Object names are DNS subdomains, but a name read from disk or config is not trusted to stay inside the folder.</summary>
    private static string VolumeFolderName(string name) =>
        name.Length == 0 || name is "." or ".." || name.Contains('/') || name.Contains('\\') ? "_" + Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(name)) : name;
}
