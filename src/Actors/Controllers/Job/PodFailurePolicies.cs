using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Job;

/// <summary>What a pod failure policy decides about one failed pod (matchPodFailurePolicy).</summary>
/// <param name="Action">FailJob, Ignore, Count or FailIndex; null when no rule matched.</param>
/// <param name="CountFailed">Whether the failure counts towards backoffLimit (every action but Ignore).</param>
/// <param name="FailJobMessage">The Job's failure message when a FailJob rule matched.</param>
public sealed record PodFailureDecision(string? Action, bool CountFailed, string? FailJobMessage)
{
    public static readonly PodFailureDecision NoMatch = new(null, true, null);
}

/// <summary>pkg/controller/job's pod_failure_policy: the first rule matching a failed pod decides, in order.</summary>
public static class PodFailurePolicies
{
    public const string FailJob = "FailJob";
    public const string Ignore = "Ignore";
    public const string Count = "Count";
    public const string FailIndex = "FailIndex";

    public static PodFailureDecision Match(V1PodFailurePolicy? policy, V1Pod pod)
    {
        if (policy?.Rules is not { Count: > 0 } rules || pod.Status?.Phase != "Failed") return PodFailureDecision.NoMatch;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            string? message = null;
            if (rule.OnExitCodes is { } codes)
            {
                if (MatchingContainer(codes, pod) is not { } container) continue;
                message = $"Container {container.Name} for pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} failed with exit code " +
                          $"{container.State.Terminated.ExitCode} matching {rule.Action} rule at index {i}";
            }
            else if (rule.OnPodConditions is { Count: > 0 } conditions)
            {
                var matched = conditions.FirstOrDefault(p => pod.Status.Conditions?.Any(c => c.Type == p.Type && c.Status == (p.Status ?? "True")) == true);
                if (matched is null) continue;
                message = $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} has condition {matched.Type} matching {rule.Action} rule at index {i}";
            }
            else continue;
            return rule.Action switch
            {
                FailJob => new PodFailureDecision(FailJob, true, message),
                Ignore => new PodFailureDecision(Ignore, false, null),
                Count => new PodFailureDecision(Count, true, null),
                FailIndex => new PodFailureDecision(FailIndex, true, null),
                _ => PodFailureDecision.NoMatch,
            };
        }
        return PodFailureDecision.NoMatch;
    }

    /// <summary>The first container (init containers first) that exited non-zero with a code the requirement selects.</summary>
    private static V1ContainerStatus? MatchingContainer(V1PodFailurePolicyOnExitCodesRequirement codes, V1Pod pod)
    {
        foreach (var status in (pod.Status.InitContainerStatuses ?? []).Concat(pod.Status.ContainerStatuses ?? []))
        {
            if (status.State?.Terminated is not { } terminated || terminated.ExitCode == 0) continue;
            if (!string.IsNullOrEmpty(codes.ContainerName) && codes.ContainerName != status.Name) continue;
            var listed = codes.Values?.Contains(terminated.ExitCode) == true;
            if (codes.OperatorProperty == "In" ? listed : !listed) return status;
        }
        return null;
    }
}
