using Akka.Actor;
using Akka.Cluster;

namespace Akka.KubeEmu.Host.StateDirectory;

/// <summary>Writes this process's <see cref="ProcessRecord"/> once it is Up in the cluster, and removes it on a graceful exit.</summary>
public sealed class ProcessRecordWriter(string stateDir, string name, string role, string? apiUrl)
{
    public void WriteWhenUp(ActorSystem system)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.RegisterOnMemberUp(() => new ProcessRecord(name, role, Environment.ProcessId,
            cluster.SelfAddress.ToString(), apiUrl, ProcessCommandLine.Current()).Write(stateDir));
    }

    public void Delete() => ProcessRecord.Delete(stateDir, name);
}
