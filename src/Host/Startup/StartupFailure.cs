namespace Akka.KubeEmu.Host.Startup;

/// <summary>
/// A start-up failure the user fixes with an option (a port in use, a seed of another cluster):
/// reported as one line starting with <see cref="Prefix"/>, without a stack trace, exit code 1.
/// `up` finds that line in the process's log and shows it.
/// </summary>
public sealed class StartupFailure(string message) : Exception(message)
{
    public const string Prefix = "error: ";

    public static async Task<int> Report(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (StartupFailure e)
        {
            await Console.Error.WriteLineAsync(Prefix + e.Message);
            return 1;
        }
    }
}
