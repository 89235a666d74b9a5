using Akka.Actor;
using Akka.KubeEmu.Cluster.Identity;
using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.Startup;

/// <summary>
/// Joins a process to its cluster through the <see cref="ClusterIdentityGate"/>: an id it takes or
/// founds is recorded in the state directory; a seed of another cluster stops the process, which
/// then exits with the gate's message instead of asking that seed forever.
/// </summary>
public sealed class ClusterJoin(string stateDir)
{
    private volatile string? _refusal;

    public void Start(ActorSystem system, ClusterIdentitySettings settings, IHostApplicationLifetime lifetime) =>
        system.ActorOf(ClusterIdentityGate.Props(settings,
            id => ClusterIdFile.Record(stateDir, id),
            message =>
            {
                _refusal = message;
                lifetime.StopApplication();
            }), ClusterIdentityGate.Name);

    /// <summary>Runs the host; a refusal or a port that could not be bound becomes a <see cref="StartupFailure"/>.</summary>
    public async Task<int> Run(Func<Task> run, (string Host, int Port) akka, (string Host, int Port)? api = null)
    {
        try
        {
            await run();
        }
        catch (Exception e) when (LocalPorts.DescribeBindFailure(e, akka, api) is { } message)
        {
            throw new StartupFailure(message);
        }
        if (_refusal is { } refusal) throw new StartupFailure(refusal);
        return 0;
    }
}
