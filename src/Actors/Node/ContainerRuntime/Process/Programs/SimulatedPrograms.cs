namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;

/// <summary>
/// Programs of server images simulated well enough for the tutorials that script them (MySQL's
/// primary/replica StatefulSet): mysql, mysqladmin, xtrabackup, xbstream, ncat. Null: not one of them.
/// </summary>
internal static class SimulatedPrograms
{
    public static IEnumerable<ProcessStep>? Run(ShellInterpreter shell, string name, string[] args) => name switch
    {
        "mysql" => MysqlClient.Run(shell, args),
        "mysqladmin" => Instant(shell, MysqlAdmin.Run(shell, args)),
        "xtrabackup" or "innobackupex" => Instant(shell, Xtrabackup.Run(shell, args)),
        "xbstream" => Instant(shell, XbStream.Extract(shell, args)),
        "ncat" => Ncat.Run(shell, args),
        _ => null,
    };

    private static IEnumerable<ProcessStep> Instant(ShellInterpreter shell, int status)
    {
        shell.Status = status;
        return [];
    }
}
