namespace Akka.KubeEmu.Actors.Node.Logs;

/// <summary>What the kubelet needs of a container to serve its logs: its state and its last two logs.</summary>
/// <param name="State">"running", "terminated" or "waiting".</param>
/// <param name="WaitingReason">state.waiting.reason (ContainerCreating, PodInitializing, ErrImagePull...).</param>
/// <param name="HasLastState">lastState.terminated is set.</param>
/// <param name="Current">The log of the latest instance.</param>
/// <param name="Previous">The log of the instance before it.</param>
public sealed record ContainerLogView(string Name, string State, string? WaitingReason, bool HasLastState, ContainerLog? Current, ContainerLog? Previous);

/// <summary>
/// Picks the log a request reads, as the kubelet's validateContainerLogStatus does, with its
/// error texts: --previous reads lastState's instance; a container waiting after a run (CrashLoopBackOff)
/// shows that run; one that never ran is "waiting to start".
/// </summary>
public static class ContainerLogResolver
{
    public static ContainerLogAnswer Answer(IReadOnlyList<ContainerLogView> containers, ContainerLogRequest request)
    {
        var c = containers.FirstOrDefault(v => v.Name == request.Container);
        var container = request.Container;
        var pod = request.Pod;
        if (c is null) return ContainerLogAnswer.Failed($"container \"{container}\" in pod \"{pod}\" is not available");
        ContainerLog? log;
        if (request.ContainerId is { } id)
            log = c.Current?.ContainerId == id ? c.Current : c.Previous?.ContainerId == id ? c.Previous : null;
        else if (request.Previous)
        {
            if (!c.HasLastState) return ContainerLogAnswer.Failed($"previous terminated container \"{container}\" in pod \"{pod}\" not found");
            // Waiting after a run, lastState is that run (the latest log); otherwise the one before the current.
            log = c.State == "waiting" ? c.Current : c.Previous;
        }
        else if (c.State is "running" or "terminated" || c.HasLastState) log = c.Current;
        else
            return ContainerLogAnswer.Failed(c.WaitingReason switch
            {
                "ErrImagePull" => $"container \"{container}\" in pod \"{pod}\" is waiting to start: image can't be pulled",
                "ImagePullBackOff" => $"container \"{container}\" in pod \"{pod}\" is waiting to start: trying and failing to pull image",
                { } reason => $"container \"{container}\" in pod \"{pod}\" is waiting to start: {reason}",
                null => $"container \"{container}\" in pod \"{pod}\" is waiting to start - no logs yet",
            });
        // Logs of an instance from before a node process restart are not kept (the node's disk is memory).
        if (log is null) return new ContainerLogAnswer("", request.ContainerId, request.FromSequence ?? 0, true);
        var query = request.Query;
        return new ContainerLogAnswer(query.Render(query.Select(log.Lines)), log.ContainerId, log.NextSequence, log.Ended);
    }
}
