using Akka.Configuration;

namespace Akka.KubeEmu.Actors.Timing;

/// <summary>
/// Kubernetes' timing knobs (kubeemu.timing in the profile HOCON): "kubernetes" holds the real
/// defaults, "fast" the same machinery in seconds.
/// </summary>
/// <param name="NodeLossFromMembership">
/// Whether a node whose process the cluster finds unreachable is marked Unknown at once (fast),
/// or only when its Lease is not renewed within <paramref name="NodeMonitorGracePeriod"/>, as in
/// Kubernetes (kubernetes): membership may know first, but the Node follows the profile's clock.
/// </param>
/// <param name="PodGcOrphanQuarantine">How long the pod garbage collector waits before it deletes the pods of a node that does not exist (its quarantineTime).</param>
public sealed record TimingProfile(
    string Name,
    TimeSpan NodeStatusUpdateFrequency,
    TimeSpan NodeStatusReportFrequency,
    TimeSpan NodeLeaseDuration,
    TimeSpan NodeLeaseRenewInterval,
    TimeSpan NodeMonitorPeriod,
    TimeSpan NodeMonitorGracePeriod,
    TimeSpan NodeStartupGracePeriod,
    long DefaultTolerationSeconds,
    TimeSpan PodStartupDelay,
    TimeSpan ImagePullDelay,
    bool NodeLossFromMembership,
    TimeSpan PodGcOrphanQuarantine)
{
    /// <summary>The Job controller's first back-off before a failed pod is replaced (Kubernetes: 10 s, doubling).</summary>
    public TimeSpan JobBackoffBase { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The cap of the Job controller's back-off (Kubernetes: 6 min).</summary>
    public TimeSpan JobBackoffMax { get; init; } = TimeSpan.FromMinutes(6);

    /// <summary>
    /// The kubelet's syncFrequency (Kubernetes: 1 min): how often a running pod is synced again, which
    /// is when a changed ConfigMap or Secret reaches its mounted files.
    /// </summary>
    public TimeSpan KubeletSyncFrequency { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How far the kubelet's periodic ticks (lease renewals, status checks) may be put off so that the
    /// ticks of one process's nodes come due together (0: each at its own instant). Not a Kubernetes
    /// knob: a kubelet is alone on its machine.
    /// </summary>
    public TimeSpan NodeTimerSlack { get; init; } = TimeSpan.FromSeconds(1);

    public static TimingProfile From(Config config)
    {
        var t = config.GetConfig("kubeemu.timing") ?? throw new InvalidOperationException("kubeemu.timing is not configured");
        return new TimingProfile(
            t.GetString("profile"),
            t.GetTimeSpan("node-status-update-frequency"),
            t.GetTimeSpan("node-status-report-frequency"),
            t.GetTimeSpan("node-lease-duration"),
            t.GetTimeSpan("node-lease-renew-interval"),
            t.GetTimeSpan("node-monitor-period"),
            t.GetTimeSpan("node-monitor-grace-period"),
            t.GetTimeSpan("node-startup-grace-period"),
            t.GetLong("default-toleration-seconds"),
            t.GetTimeSpan("pod-startup-delay"),
            t.GetTimeSpan("image-pull-delay"),
            t.GetBoolean("node-loss-from-membership"),
            t.GetTimeSpan("pod-gc-orphan-quarantine"))
        {
            JobBackoffBase = t.HasPath("job-backoff-base") ? t.GetTimeSpan("job-backoff-base") : TimeSpan.FromSeconds(10),
            JobBackoffMax = t.HasPath("job-backoff-max") ? t.GetTimeSpan("job-backoff-max") : TimeSpan.FromMinutes(6),
            KubeletSyncFrequency = t.HasPath("kubelet-sync-frequency") ? t.GetTimeSpan("kubelet-sync-frequency") : TimeSpan.FromMinutes(1),
            NodeTimerSlack = t.HasPath("node-timer-slack") ? t.GetTimeSpan("node-timer-slack") : TimeSpan.FromSeconds(1),
        };
    }

    /// <summary>The "fast" profile's values, for tests that need no configuration.</summary>
    public static TimingProfile Fast { get; } = new("fast",
        TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(6), 2,
        TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300), true, TimeSpan.FromSeconds(2))
    {
        JobBackoffBase = TimeSpan.FromSeconds(1),
        JobBackoffMax = TimeSpan.FromSeconds(10),
        KubeletSyncFrequency = TimeSpan.FromSeconds(3),
    };
}
