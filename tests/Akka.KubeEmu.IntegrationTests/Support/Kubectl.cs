using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Akka.KubeEmu.IntegrationTests.Support;

/// <summary>The result of one kubectl run.</summary>
public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public KubectlResult Ok()
    {
        if (ExitCode != 0) throw new InvalidOperationException($"kubectl failed ({ExitCode}): {Stderr}\n{Stdout}");
        return this;
    }

    public JsonObject Json() => JsonNode.Parse(Ok().Stdout)!.AsObject();

    public override string ToString() => $"exit {ExitCode}: {Stdout}{Stderr}";
}

/// <summary>
/// Runs the real kubectl against a kubeconfig. Which kubectl is the KUBEEMU_TEST_KUBECTL
/// variable (default: kubectl on PATH); Debian's v1.20 is KUBEEMU_TEST_KUBECTL_V120 (set by scripts/test).
/// </summary>
public sealed class Kubectl(string kubeconfig, string executable)
{
    public static Kubectl Default(string kubeconfig) =>
        new(kubeconfig, Environment.GetEnvironmentVariable("KUBEEMU_TEST_KUBECTL") is { Length: > 0 } k ? k : "kubectl");

    public static Kubectl V120(string kubeconfig) =>
        new(kubeconfig, Environment.GetEnvironmentVariable("KUBEEMU_TEST_KUBECTL_V120") is { Length: > 0 } k
            ? k
            : throw new InvalidOperationException("KUBEEMU_TEST_KUBECTL_V120 is not set: run the suite with scripts/test, which unpacks Debian's kubectl v1.20"));

    public string Executable => executable;

    public Task<KubectlResult> Run(params string[] args) => RunWithInput(null, args);

    /// <summary>kubectl with extra environment variables (EDITOR for `kubectl edit`).</summary>
    public Task<KubectlResult> RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunWithInput(null, args, environment);

    public Task<KubectlResult> RunWithInput(string? stdin, params string[] args) => RunWithInput(stdin, args, null);

    private async Task<KubectlResult> RunWithInput(string? stdin, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        Configure(start, args);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 90 s");
        }
        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a long-running kubectl (e.g. get -w) whose output is read as it comes.</summary>
    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Configure(start, args);
        return Process.Start(start)!;
    }

    /// <summary>
    /// The cluster comes from KUBECONFIG, as README tells users: a --kubeconfig flag would have to
    /// follow the command (this machine's kubectl is a dispatcher that refuses flags before it)
    /// and would then land after a "--" in commands such as `kubectl run ... -- sleep 5`.
    /// </summary>
    private void Configure(ProcessStartInfo start, string[] args)
    {
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["KUBECONFIG"] = kubeconfig;
    }
}
