namespace Akka.KubeEmu.Host.Launcher;

/// <summary>What `kubeemu up` is asked for.</summary>
public sealed record UpOptions
{
    public int Nodes { get; init; } = 3;

    /// <summary>Control-plane processes; the Store, Scheduler and ControllerManager run on the oldest and move when it fails.</summary>
    public int ControlPlanes { get; init; } = 1;
    public string StateDir { get; init; } = ".kubeemu";
    public int ApiPort { get; init; } = 6443;
    public int AkkaPort { get; init; } = 4053;

    /// <summary>Whether the user chose the ports: a chosen port that is taken fails, a default one is replaced.</summary>
    public bool ApiPortGiven { get; init; }
    public bool AkkaPortGiven { get; init; }
    public string Profile { get; init; } = "fast";
    public string Store { get; init; } = "sqlite";
    public string? ConnectionString { get; init; }
    public string SqliteSynchronous { get; init; } = "normal";
    public bool Detach { get; init; }
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>A HOCON file every process reads over its defaults (absolute, so a process started elsewhere finds it).</summary>
    public string? ConfigFile { get; init; }
}
