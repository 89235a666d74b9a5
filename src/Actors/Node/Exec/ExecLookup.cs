using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

namespace Akka.KubeEmu.Actors.Node.Exec;

/// <summary>
/// Whether an exec'd program exists in the container's image ($PATH lookup by the runtime): the
/// shells and busybox applets the simulated shell knows, programs named after the image (nginx,
/// redis-cli for redis), common tools, and files the container has. Anything else is "not found".
/// </summary>
internal static class ExecLookup
{
    private static readonly HashSet<string> Known =
    [
        "sh", "bash", "ash", "dash", "zsh", "ksh", "busybox", "env", "printenv", "true", "false", "echo", "printf", "cat",
        "touch", "rm", "rmdir", "mkdir", "ls", "date", "test", "[", "[[", "hostname", "pwd", "whoami", "id", "uname", "seq",
        "expr", "basename", "dirname", "wc", "head", "tail", "grep", "egrep", "fgrep", "tee", "cp", "mv", "sleep", "kill",
        "wget", "curl", "nslookup", "dig", "sed", "awk", "sort", "uniq", "cut", "tr", "xargs", "find", "stat", "df", "du",
        "free", "ps", "ip", "ifconfig", "netstat", "ss", "base64", "md5sum", "sha256sum", "mktemp", "nproc", "getent", "gzip",
        "gunzip", "tar", "host", "traceroute", "route", "arp", "ping", "nc", "netcat", "httpd", "yes", "timeout", "nohup",
        "chmod", "chown", "ln", "sync", "logger", "clear", "mount", "umount", "usleep", "top", "vi", "less", "more",
        "which", "tty", "stty", "reset", "apt", "apt-get", "apk", "yum", "dnf", "python", "python3", "perl", "node", "java",
    ];

    /// <summary>Images whose only shell is busybox's ash: `kubectl exec -it x -- bash` fails there.</summary>
    private static readonly HashSet<string> WithoutBash = ["busybox", "alpine"];

    public static bool Exists(string program, string? imageRepository, ContainerFileSystem files)
    {
        if (program.Contains('/') && files.FileExists(program)) return true;
        var name = Path.GetFileName(program);
        var image = imageRepository?.Split('/')[^1];
        if (name == "bash" && image is not null && WithoutBash.Contains(image)) return false;
        if (Known.Contains(name)) return true;
        return image is { Length: > 0 } && (name.StartsWith(image, StringComparison.Ordinal) || image.StartsWith(name, StringComparison.Ordinal));
    }

    /// <summary>What containerd answers when the program is missing (the kubelet passes it on as an internal error).</summary>
    public static string NotFound(string program, string execId) =>
        $"error executing command in container: failed to exec in container: failed to start exec \"{execId}\": " +
        $"OCI runtime exec failed: exec failed: unable to start container process: exec: \"{program}\": executable file not found in $PATH: unknown";
}
