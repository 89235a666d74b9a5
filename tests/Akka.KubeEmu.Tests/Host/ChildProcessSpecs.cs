using System.Diagnostics;
using Akka.KubeEmu.Host.Launcher;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Host;

public sealed class ChildProcessSpecs : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task The_reason_a_process_gives_for_not_starting_is_found_in_its_log()
    {
        var child = ChildProcess.Start("control-plane", "control-plane",
            ["sh", "-c", "echo '[INFO] starting'; echo 'error: Akka port 4053 on 127.0.0.1 is in use: choose a free one with --akka-port' >&2; exit 1"], _dir.Path);
        await Exited(child);

        Assert.Equal("Akka port 4053 on 127.0.0.1 is in use: choose a free one with --akka-port", child.StartupFailureReason());
    }

    [Fact]
    public async Task A_process_that_gave_no_reason_has_none()
    {
        var child = ChildProcess.Start("node-1", "node", ["sh", "-c", "echo 'Unhandled exception'; exit 134"], _dir.Path);
        await Exited(child);

        Assert.Null(child.StartupFailureReason());
    }

    private static async Task Exited(ChildProcess child)
    {
        var watch = Stopwatch.StartNew();
        while (!child.HasExited)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(20)) throw new TimeoutException($"{child.Name} did not exit");
            await Task.Delay(50);
        }
    }

    public void Dispose() => _dir.Dispose();
}
