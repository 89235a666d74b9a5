using System.Diagnostics;

namespace Akka.KubeEmu.TestKit.Processes;

/// <summary>What a finished command printed.</summary>
internal sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}{Stdout}{Stderr}";
}

/// <summary>Runs a command to completion with a deadline, capturing its output.</summary>
internal static class CommandRunner
{
    public static async Task<CommandResult> Run(string executable, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested) throw;
            throw new TimeoutException($"{executable} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s");
        }
        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }
}
