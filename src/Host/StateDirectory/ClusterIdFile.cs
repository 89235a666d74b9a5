using System.Text.RegularExpressions;
using Akka.KubeEmu.Cluster.Identity;
using Akka.KubeEmu.Host.Startup;

namespace Akka.KubeEmu.Host.StateDirectory;

/// <summary>
/// <c>&lt;state-dir&gt;/cluster-id</c>: which cluster the state directory belongs to. Written once
/// (by `up`, by a control plane founding a cluster, or by a process taking the id of the cluster it
/// joined) and kept across restarts; every process presents it to the seeds before it joins, so a
/// process of one cluster cannot join another one listening on a port it was given.
/// </summary>
public static partial class ClusterIdFile
{
    public static string PathIn(string stateDir) => Path.Combine(stateDir, "cluster-id");

    public static string? Read(string stateDir)
    {
        try
        {
            var id = File.ReadAllText(PathIn(stateDir)).Trim();
            return id.Length == 0 ? null : id;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public static string ReadOrCreate(string stateDir) => Read(stateDir) ?? Record(stateDir, ClusterIdentityGate.NewId());

    /// <summary>Writes <paramref name="id"/> unless the file holds one already (never replaced); returns what the file holds.</summary>
    public static string Record(string stateDir, string id)
    {
        Directory.CreateDirectory(stateDir);
        var path = PathIn(stateDir);
        var tmp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(tmp, id + "\n");
        try
        {
            File.Move(tmp, path, overwrite: false);
            return id;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(tmp);
            return Read(stateDir) ?? id;
        }
    }

    /// <summary>
    /// The id a process starts with: <c>--cluster-id</c> when given (recorded if the directory has
    /// none, refused if it has another), else the file's; null when there is neither.
    /// </summary>
    public static string? Resolve(string stateDir, string? option)
    {
        var recorded = Read(stateDir);
        if (option is null) return recorded;
        if (!ValidId().IsMatch(option))
            throw new StartupFailure($"--cluster-id '{option}' is not a valid cluster id (letters, digits, '.', '_' and '-')");
        if (recorded is not null && recorded != option)
            throw new StartupFailure($"--cluster-id {option} does not match the cluster id {recorded} in {PathIn(stateDir)}: "
                                     + "that state directory belongs to another cluster (use another --state-dir)");
        return Record(stateDir, option);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex ValidId();
}
