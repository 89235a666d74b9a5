namespace Akka.KubeEmu.Host.StateDirectory;

/// <summary>
/// The kubeconfig a cluster's users get: cluster "kubeemu" with the API URL and the cluster CA,
/// user "kubeemu-admin" with the bearer token, context "kubeemu" as current context.
/// </summary>
public static class Kubeconfig
{
    public static string PathIn(string stateDir) => Path.Combine(stateDir, "kubeconfig");

    public static string Render(string server, string caPem, string token) => Render(server, caPem, token, "kubeemu-admin");

    /// <summary>A kubeconfig for one user of the cluster (`kubeemu kubeconfig --user NAME`).</summary>
    public static string Render(string server, string caPem, string token, string user) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(caPem))}
            server: {server}
          name: kubeemu
        contexts:
        - context:
            cluster: kubeemu
            user: {user}
          name: kubeemu
        current-context: kubeemu
        preferences: {"{}"}
        users:
        - name: {user}
          user:
            token: {token}

        """;

    public static void Write(string stateDir, string server, string caPem, string token) =>
        WriteFile(PathIn(stateDir), Render(server, caPem, token));

    /// <summary>The server URL of a kubeconfig this class rendered, null when there is none.</summary>
    public static string? Server(string path) =>
        File.Exists(path)
            ? File.ReadLines(path).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("server: ", StringComparison.Ordinal))?["server: ".Length..].Trim()
            : null;

    public static void WriteFile(string path, string content)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(tmp, path, overwrite: true);
    }
}
