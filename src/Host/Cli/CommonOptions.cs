using System.CommandLine;

namespace Akka.KubeEmu.Host.Cli;

/// <summary>Options shared by several commands, spelled the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> StateDir() =>
        new("--state-dir") { Description = "State directory (journal, kubeconfig, run files, logs).", DefaultValueFactory = _ => ".kubeemu" };

    public static Option<string> Hostname() =>
        new("--hostname") { Description = "Address Akka.Remote binds to.", DefaultValueFactory = _ => "127.0.0.1" };

    public static Option<string?> PublicHostname() =>
        new("--public-hostname") { Description = "Address other machines reach this process at, when it differs from --hostname (e.g. with --hostname 0.0.0.0)." };

    public static Option<string[]> Seeds(string description) =>
        new("--seed") { Description = description, AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.ZeroOrMore };

    public static Option<string> Profile()
    {
        var option = new Option<string>("--profile") { Description = "Timing profile: fast (seconds) or kubernetes (real defaults).", DefaultValueFactory = _ => "fast" };
        option.AcceptOnlyFromAmong("fast", "kubernetes");
        return option;
    }

    public static Option<string?> Config() =>
        new("--config") { Description = "A HOCON file overriding the defaults." };
}
