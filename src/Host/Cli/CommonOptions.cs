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

    public static Option<string> SqliteSynchronous()
    {
        var option = new Option<string>("--sqlite-synchronous")
        {
            Description = "normal: a commit survives kill -9 and crashes of the process; full: it also survives power loss (one fsync per commit).",
            DefaultValueFactory = _ => "normal",
        };
        option.AcceptOnlyFromAmong("normal", "full");
        return option;
    }

    public static Akka.KubeEmu.Cluster.Persistence.SqliteSynchronous ParseSynchronous(string value) =>
        value == "full" ? Akka.KubeEmu.Cluster.Persistence.SqliteSynchronous.Full : Akka.KubeEmu.Cluster.Persistence.SqliteSynchronous.Normal;

    public static Option<string?> ClusterId() =>
        new("--cluster-id")
        {
            Description = "The cluster this process belongs to (default: <state-dir>/cluster-id; without one, it takes the id of the cluster it joins). "
                          + "Seeds of another cluster are refused.",
        };

    public static Option<string?> Config() =>
        new("--config") { Description = "A HOCON file overriding the defaults." };
}
