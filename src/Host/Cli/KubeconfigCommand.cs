using System.CommandLine;
using Akka.KubeEmu.Host.ApiServer.Authentication;
using Akka.KubeEmu.Host.ApiServer.Tls;
using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.Cli;

/// <summary>
/// `kubeemu kubeconfig --user alice [--group dev ...]`: a kubeconfig for another user of a running
/// cluster, with a token signed by the state directory's key. The user has no rights but those
/// RBAC grants it (system:authenticated's basic-user and discovery), so Forbidden answers can be seen.
/// </summary>
public static class KubeconfigCommand
{
    public static Command Create()
    {
        var stateDir = CommonOptions.StateDir();
        var user = new Option<string>("--user") { Description = "User name the token authenticates as.", Required = true };
        var groups = new Option<string[]>("--group") { Description = "A group of the user (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "File to write (default: standard output)." };
        var command = new Command("kubeconfig", "Write a kubeconfig for another user or group of the cluster, whose rights RBAC decides.")
        {
            stateDir, user, groups, output,
        };
        command.SetAction(r => Write(r.GetValue(stateDir)!, r.GetValue(user)!, r.GetValue(groups) ?? [], r.GetValue(output), Console.Out, Console.Error));
        return command;
    }

    public static int Write(string stateDir, string user, IReadOnlyList<string> groups, string? output, TextWriter stdout, TextWriter stderr)
    {
        stateDir = Path.GetFullPath(stateDir);
        if (user.Trim().Length == 0)
        {
            stderr.WriteLine("--user must not be empty");
            return 1;
        }
        var server = Kubeconfig.Server(Kubeconfig.PathIn(stateDir));
        var ca = ServingCertificates.CaPath(stateDir);
        if (server is null || !File.Exists(ca))
        {
            stderr.WriteLine($"No cluster in {stateDir} (start one with: kubeemu up --state-dir {stateDir}).");
            return 1;
        }
        using var key = SigningKey.ReadOrCreate(stateDir);
        var token = JsonWebToken.Sign(TokenClaims.User(user, groups, DateTimeOffset.UtcNow), key);
        var config = Kubeconfig.Render(server, File.ReadAllText(ca), token, user);
        if (output is null) stdout.Write(config);
        else Kubeconfig.WriteFile(Path.GetFullPath(output), config);
        return 0;
    }
}
