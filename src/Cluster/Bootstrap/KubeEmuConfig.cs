using System.Reflection;
using Akka.Configuration;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Cluster.Bootstrap;

/// <summary>
/// Composes the HOCON of one process, highest priority first: the options given on the command
/// line, test overrides, the user's file, the timing profile, kubeemu.conf, then serialization
/// (this assembly's messages always, the callers' catalogs) and persistence wiring.
/// </summary>
public static class KubeEmuConfig
{
    public const string SystemName = "kubeemu";

    public static readonly string[] Profiles = ["fast", "kubernetes"];

    /// <summary>The protocol of every process's address: TCP behind Akka's throttler adapter (kubeemu.conf's applied-adapters).</summary>
    public const string Protocol = "akka.trttl.tcp";

    public static string AkkaAddress(string hostPort) => $"{Protocol}://{SystemName}@{hostPort}";

    public static Config Build(ClusterNodeOptions options, params Type[] messageCatalogs)
    {
        if (!Profiles.Contains(options.Profile))
            throw new ArgumentException($"unknown timing profile '{options.Profile}' (use {string.Join(" or ", Profiles)})");

        var seeds = string.Join(", ", options.SeedNodes.Select(s => Quote(s.Contains("://") ? s : AkkaAddress(s))));
        var roles = string.Join(", ", options.Roles.Select(Quote));
        var publicHost = options.PublicHostname is null ? "" : $"public-hostname = {Quote(options.PublicHostname)}";
        var command = ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp {
              hostname = {{Quote(options.Hostname)}}
              port = {{options.Port}}
              {{publicHost}}
            }
            akka.cluster.roles = [{{roles}}]
            akka.cluster.seed-nodes = [{{seeds}}]
            """);

        var config = command;
        if (options.Overrides is not null) config = config.WithFallback(options.Overrides);
        if (options.ConfigFile is not null) config = config.WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(options.ConfigFile)));
        config = config
            .WithFallback(Embedded($"profiles/{options.Profile}.conf"))
            .WithFallback(Embedded("kubeemu.conf"))
            .WithFallback(SerializationConfig.For([typeof(ClusterMessageCatalog), .. messageCatalogs.Where(c => c != typeof(ClusterMessageCatalog))]));
        if (options.Persistence is not null) config = config.WithFallback(options.Persistence.ToConfig());
        return config;
    }

    public static Config Embedded(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"embedded configuration '{name}' is missing");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
