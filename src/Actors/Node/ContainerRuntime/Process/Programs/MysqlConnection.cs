namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;

/// <summary>
/// Where a MySQL client's connection goes: the pod's own mysqld (localhost, 127.0.0.1, the pod's IP
/// or hostname: the pod's containers share one network namespace), another pod's (reached by a
/// name the cluster DNS resolves), or nowhere, with the client library's errors.
/// </summary>
internal static class MysqlConnection
{
    public const int Port = 3306;

    /// <summary>The pod's own server; null with <paramref name="error"/> set when it cannot connect, or null with
    /// <paramref name="remote"/> set to the address a name of another pod (or Service) resolves to.</summary>
    public static MysqlServer? Connect(ShellInterpreter shell, string? host, int port, out string? error) => Connect(shell, host, port, out error, out _);

    public static MysqlServer? Connect(ShellInterpreter shell, string? host, int port, out string? error, out string? remote)
    {
        error = null;
        remote = null;
        var network = shell.Host.Network;
        var local = host is null or "" or "localhost" or "127.0.0.1" or "::1"
            || host == shell.Host.Hostname || (network?.PodIp is { } ip && host == ip);
        if (!local)
        {
            if (System.Net.IPAddress.TryParse(host, out _))
            {
                remote = host;
                return null;
            }
            if (network?.Dns is { } dns && dns.Resolve(host!, network.Namespace) is { Addresses: { } addresses })
            {
                if (network.PodIp is { } own && addresses.Contains(own)) local = true;
                else
                {
                    remote = addresses.FirstOrDefault();
                    return null;
                }
            }
            else
            {
                error = $"ERROR 2005 (HY000): Unknown MySQL server host '{host}' (-2)";
                return null;
            }
        }
        if (network?.LocalListener?.Invoke(port) is { } mysqld) return new MysqlServer(mysqld.Files, shell.Host.Hostname);
        error = host is null or "" or "localhost"
            ? "ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)"
            : $"ERROR 2003 (HY000): Can't connect to MySQL server on '{host}' (111)";
        return null;
    }
}
