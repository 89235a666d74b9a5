using k8s.Models;

namespace Akka.KubeEmu.TestKit;

/// <summary>The status questions scenario conditions keep asking.</summary>
public static class StatusExtensions
{
    /// <summary>The Node's Ready condition: True, False, Unknown, or null before its kubelet reported.</summary>
    public static V1NodeCondition? ReadyCondition(this V1Node node) =>
        node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    public static string? ReadyStatus(this V1Node node) => node.ReadyCondition()?.Status;

    /// <summary>Running, with every container ready (kubectl's READY n/n).</summary>
    public static bool IsRunningAndReady(this V1Pod pod) =>
        pod.Status?.Phase == "Running" && pod.Metadata.DeletionTimestamp is null &&
        pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
