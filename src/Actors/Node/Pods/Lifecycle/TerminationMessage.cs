using System.Text;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Logs;

namespace Akka.KubeEmu.Actors.Node.Pods.Lifecycle;

/// <summary>
/// The message of a terminated container (kuberuntime's getTerminationMessage): what it wrote to its
/// terminationMessagePath (at most 4096 bytes), or, with FallbackToLogsOnError, the tail of its log
/// (80 lines and 2048 bytes at most) when the file is empty and it failed.
/// </summary>
public static class TerminationMessage
{
    private const int MaxFileBytes = 4096;
    private const int MaxLogLines = 80;
    private const int MaxLogBytes = 2048;

    public static string? Read(ContainerModel spec, ContainerFileSystem? files, ContainerLog? log, int exitCode)
    {
        var written = files?.Read(spec.TerminationMessagePath);
        if (!string.IsNullOrEmpty(written)) return Truncate(written, MaxFileBytes, fromEnd: false);
        if (spec.TerminationMessagePolicy != "FallbackToLogsOnError" || exitCode == 0 || log is null || log.Lines.Count == 0) return null;
        var tail = new StringBuilder();
        foreach (var line in log.Lines.Skip(Math.Max(0, log.Lines.Count - MaxLogLines))) tail.Append(line.Text).Append('\n');
        return Truncate(tail.ToString(), MaxLogBytes, fromEnd: true);
    }

    private static string Truncate(string text, int maxBytes, bool fromEnd)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= maxBytes) return text;
        return fromEnd ? Encoding.UTF8.GetString(bytes, bytes.Length - maxBytes, maxBytes) : Encoding.UTF8.GetString(bytes, 0, maxBytes);
    }
}
