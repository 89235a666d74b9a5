namespace Akka.KubeEmu.IntegrationTests.Support;

public static class FreePorts
{
    /// <summary>A loopback port that was free a moment ago, never one this test run was given before.</summary>
    public static int Next() => Akka.KubeEmu.Host.Startup.LocalPorts.Unused();
}
