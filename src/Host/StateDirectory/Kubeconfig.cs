namespace Akka.KubeEmu.Host.StateDirectory;

/// <summary>
/// The kubeconfig a cluster's users get: cluster "kubeemu" with the API URL and the cluster CA,
/// user "kubeemu-admin" with the bearer token, context "kubeemu" as current context.
/// </summary>
public static class Kubeconfig
{
    public static string PathIn(string stateDir) => Path.Combine(stateDir, "kubeconfig");

    public static string Render(string server, string caPem, string token) => $"""
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
            user: kubeemu-admin
          name: kubeemu
        current-context: kubeemu
        preferences: {"{}"}
        users:
        - name: kubeemu-admin
          user:
            token: {token}

        """;

    public static void Write(string stateDir, string server, string caPem, string token)
    {
        var path = PathIn(stateDir);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, Render(server, caPem, token));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(tmp, path, overwrite: true);
    }
}
