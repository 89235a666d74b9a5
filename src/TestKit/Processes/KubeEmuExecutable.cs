namespace Akka.KubeEmu.TestKit.Processes;

/// <summary>Finds the kubeemu executable a cluster is started with.</summary>
internal static class KubeEmuExecutable
{
    public const string EnvironmentVariable = "KUBEEMU_EXECUTABLE";

    /// <summary>The configured path, else $KUBEEMU_EXECUTABLE, else kubeemu next to the test assembly, else kubeemu on PATH.</summary>
    public static string Locate(string? configured = null)
    {
        if (!string.IsNullOrEmpty(configured)) return Existing(configured, "EmulatedClusterOptions.Executable");
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            return Existing(fromEnvironment, "$" + EnvironmentVariable);
        var beside = Path.Combine(AppContext.BaseDirectory, "kubeemu");
        if (File.Exists(beside)) return beside;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "kubeemu")).FirstOrDefault(File.Exists);
        return onPath ?? throw new FileNotFoundException(
            $"No kubeemu executable: none next to the test assembly ({AppContext.BaseDirectory}) nor on PATH. " +
            $"Reference the Akka.KubeEmu.TestKit project (it brings kubeemu along), set ${EnvironmentVariable}, " +
            "or set EmulatedClusterOptions.Executable.");
    }

    private static string Existing(string path, string source) =>
        File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException($"{source} names {path}, which does not exist", path);
}
