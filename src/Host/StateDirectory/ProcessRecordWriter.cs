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

    /// <summary>Only this process's own record: a second process of the same name that failed to start (a port in use, refused by another cluster) leaves the running one's alone.</summary>
    public void Delete()
    {
        if (ProcessRecord.Read(ProcessRecord.PathFor(stateDir, name))?.Pid == Environment.ProcessId) ProcessRecord.Delete(stateDir, name);
    }
}
