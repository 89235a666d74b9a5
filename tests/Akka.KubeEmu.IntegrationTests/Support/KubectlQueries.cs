namespace Akka.KubeEmu.IntegrationTests.Support;

/// <summary>Small kubectl queries the scenarios repeat.</summary>
public static class KubectlQueries
{
    public static async Task<string> NodeReady(this Kubectl kubectl, string node) =>
        (await kubectl.Run("get", "node", node, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).Ok().Stdout.Trim();

    public static Task<string> AwaitNodeReady(this Kubectl kubectl, string node, string status, TimeSpan timeout) =>
        Eventually.Until(() => kubectl.NodeReady(node), s => s == status, timeout, $"node {node} Ready={status}");

    public static async Task<string> PodPhase(this Kubectl kubectl, string name, string ns = "default") =>
        (await kubectl.Run("get", "pod", name, "-n", ns, "-o", "jsonpath={.status.phase}")).Ok().Stdout.Trim();
}
