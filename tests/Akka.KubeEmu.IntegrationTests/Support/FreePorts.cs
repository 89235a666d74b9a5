using System.Net;
using System.Net.Sockets;

namespace Akka.KubeEmu.IntegrationTests.Support;

public static class FreePorts
{
    private static readonly HashSet<int> Given = [];

    /// <summary>
    /// A loopback port that was free a moment ago (the OS picks it), never one this test run was
    /// given before: the OS may hand the same port out again once its listener is closed, and a
    /// cluster given one port for its API and its Akka remoting refuses to start.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Given)
                if (Given.Add(port)) return port;
        }
    }
}
