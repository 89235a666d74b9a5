namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

/// <summary>
/// Where a running script gives back control: everything between two steps happens at one
/// instant of virtual time (output, files), so a script is a lazy timeline of these.
/// </summary>
internal abstract record ProcessStep
{
    /// <summary>`sleep N`: the script continues N later.</summary>
    public sealed record Sleep(TimeSpan For) : ProcessStep;

    /// <summary>Waits for something that never comes (sleep infinity, tail -f, a server, a spinning loop).</summary>
    public sealed record Block : ProcessStep
    {
        public static readonly Block Instance = new();
    }

    /// <summary>
    /// Waits for the network (a connection to another pod): the driver continues the script once
    /// the task has completed, without blocking its actor; only drivers that can wait get these
    /// (<see cref="IShellHost.Waits"/>).
    /// </summary>
    public sealed record Await(Task Task) : ProcessStep;

    /// <summary>`wait`: continues once the background jobs have ended.</summary>
    public sealed record WaitJobs : ProcessStep
    {
        public static readonly WaitJobs Instance = new();
    }
}

/// <summary>Where a command's output goes: the container log, a file, a pipe, a substitution, nowhere.</summary>
internal interface IShellOutput
{
    void Write(string text);
}

internal sealed class StringOutput : IShellOutput
{
    public readonly System.Text.StringBuilder Text = new();

    public void Write(string text) => Text.Append(text);
}

internal sealed class NullOutput : IShellOutput
{
    public static readonly NullOutput Instance = new();

    public void Write(string text) { }
}

internal sealed class FileOutput(ContainerFileSystem fs, string path, string cwd) : IShellOutput
{
    public void Write(string text)
    {
        var (tree, rel) = fs.Resolve(path, cwd);
        tree.Write(rel, text, append: true);
    }
}
