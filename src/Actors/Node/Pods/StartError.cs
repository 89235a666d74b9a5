using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.Exec;

namespace Akka.KubeEmu.Actors.Node.Pods;

/// <summary>
/// A container whose command names a program its image does not have cannot start: runc fails the
/// task and the kubelet reports the container terminated with reason StartError and exit code 128
/// (then restarts it with back-off, so CrashLoopBackOff follows). Only for images the catalog knows,
/// and only for a bare program name looked up in $PATH; anything else stays lenient.
/// </summary>
public static class StartError
{
    public const string Reason = "StartError";
    public const int ExitCode = 128;

    /// <returns>containerd's error text, or null when the program can start.</returns>
    public static string? Check(IReadOnlyList<string> expandedCommand, ImageReference image, ImageCatalog catalog)
    {
        if (expandedCommand.Count == 0 || catalog.Find(image) is null) return null;
        var program = expandedCommand[0];
        if (program.Length == 0 || program.Contains('/') || ExecLookup.Exists(program, image.Repository, ContainerRuntime.Process.ContainerFileSystem.Empty()))
            return null;
        return "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: " +
               $"unable to start container process: exec: \"{program}\": executable file not found in $PATH: unknown";
    }
}
