using System.Net;
using System.Net.Sockets;
using Akka.Remote;

namespace Akka.KubeEmu.Host.Startup;

/// <summary>Whether a port can be listened on, and what to tell the user when it cannot.</summary>
public static class LocalPorts
{
    /// <summary>Null when <paramref name="port"/> can be bound on <paramref name="address"/>, else why not.</summary>
    public static SocketError? Probe(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
        finally
        {
            listener.Stop();
        }
    }

    public static bool IsFree(IPAddress address, int port) => Probe(address, port) is null;

    /// <summary>A port the OS says is free on <paramref name="address"/> now, other than <paramref name="besides"/>.</summary>
    public static int AnyFree(IPAddress address, params int[] besides)
    {
        while (true)
        {
            var listener = new TcpListener(address, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (!besides.Contains(port)) return port;
        }
    }

    /// <summary>
    /// A loopback port the OS just handed out and this process never handed out before: the kernel
    /// may give the same ephemeral port again once its listener is closed, and a cluster given one
    /// port for its API and its Akka remoting could not start (benchmarks, tests).
    /// </summary>
    public static int Unused()
    {
        lock (Given)
        {
            while (true)
            {
                var port = AnyFree(IPAddress.Loopback);
                if (Given.Add(port)) return port;
            }
        }
    }

    private static readonly HashSet<int> Given = [];

    /// <summary>
    /// Fails at once, naming the port and the option, when a port this process must listen on cannot
    /// be bound: cheaper to read than Akka.Remote's or Kestrel's stack traces a moment later.
    /// </summary>
    public static void EnsureFree(string host, int port, string what, string option)
    {
        if (port == 0 || !IPAddress.TryParse(host, out var address)) return;
        if (Probe(address, port) is { } error) throw new StartupFailure(Cannot(what, host, port, option, error));
    }

    public static string Cannot(string what, string host, int port, string option, SocketError error) => error switch
    {
        SocketError.AddressAlreadyInUse =>
            $"{what} port {port} on {host} is in use (another KubeEmu cluster, or another program, listens there): choose a free one with {option}",
        SocketError.AccessDenied => $"{what} port {port} on {host} needs privileges to listen on: choose one above 1023 with {option}",
        SocketError.AddressNotAvailable => $"{what} port {port}: {host} is not an address of this machine",
        _ => $"{what} port {port} on {host} cannot be listened on ({error}): choose another with {option}",
    };

    /// <summary>
    /// The one-line message for a bind that failed after all (taken between the check and the bind):
    /// Akka.Remote wraps it in a RemoteTransportException, Kestrel in an IOException.
    /// </summary>
    public static string? DescribeBindFailure(Exception e, (string Host, int Port) akka, (string Host, int Port)? api = null)
    {
        var chain = Flatten(e).ToArray();
        if (chain.OfType<SocketException>().FirstOrDefault() is not { } socket) return null;
        if (chain.Any(x => x is RemoteTransportException)) return Cannot("Akka", akka.Host, akka.Port, "--akka-port", socket.SocketErrorCode);
        return api is { } a ? Cannot("API", a.Host, a.Port, "--api-port", socket.SocketErrorCode) : null;
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        yield return e;
        var inner = e is AggregateException aggregate ? aggregate.InnerExceptions : e.InnerException is { } i ? [i] : [];
        foreach (var x in inner.SelectMany(Flatten)) yield return x;
    }
}
