namespace Akka.KubeEmu.TestKit.Processes;

internal static class FreePorts
{
    /// <summary>A loopback port that was free a moment ago, never one given out before in this process.</summary>
    public static int Next() => Akka.KubeEmu.Host.Startup.LocalPorts.Unused();
}
