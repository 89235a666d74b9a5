namespace Akka.KubeEmu.Actors.Scheduling.Framework;

/// <summary>
/// PreFilter extension point: a check of the pod itself, before any node is looked at. A rejection
/// rejects every node at once and its reason is the whole FailedScheduling message
/// ("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. ...").
/// </summary>
public interface IPreFilterPlugin : IPlugin
{
    FilterStatus PreFilter(PodInfo pod);
}
