using Akka.KubeEmu.Actors.Events;

namespace Akka.KubeEmu.Actors.Node.Pods;

// kuberuntime's startContainer -> generateContainerConfig -> makeEnvironmentVariables: a container
// whose env needs a ConfigMap, Secret or key that does not exist is not created; it waits with
// CreateContainerConfigError and the pod is synced again after the pod workers' back-off.
public sealed partial class PodWorker
{
    private bool TryResolveEnvironment(ContainerRecord c, IReadOnlyList<KeyValuePair<string, string>> services, DateTimeOffset now)
    {
        var result = ContainerEnvironment.Resolve(_pod, c.Spec, _podIp, _node.Network.InternalIp, services, _node.ConfigObjects.Cache, _node.Capacity);
        if (result.Env is { } env)
        {
            c.Environment = env;
            return true;
        }
        if (result.Waiting)
        {
            // The node is still listing an object the env needs: look again shortly, quietly.
            c.PullRetryAt = now + RelistDelay;
            return false;
        }
        Event(EventRecorder.Warning, "Failed", $"Error: {result.Error}", c);
        SetWaiting(c, "CreateContainerConfigError", result.Error);
        c.PullRetryAt = now + SyncRetry;
        return false;
    }
}
