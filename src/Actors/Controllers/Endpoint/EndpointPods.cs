using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Endpoint;

/// <summary>pkg/controller/util/endpoint and podutil: what both endpoints controllers ask of a pod.</summary>
public static class EndpointPods
{
    /// <summary>ShouldPodBeInEndpoints: it has an IP and has not finished (terminating pods only when asked).</summary>
    public static bool ShouldBeInEndpoints(V1Pod pod, bool includeTerminating)
    {
        if (pod.Status?.Phase is "Succeeded" or "Failed") return false;
        if (string.IsNullOrEmpty(pod.Status?.PodIP)) return false;
        return includeTerminating || pod.Metadata?.DeletionTimestamp is null;
    }

    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True";

    /// <summary>FindPort: a numeric targetPort as it is, a named one from the pod's container ports of that protocol; null when the pod has no such port.</summary>
    public static int? FindPort(V1Pod pod, V1ServicePort servicePort)
    {
        var target = servicePort.TargetPort;
        if (target is null) return servicePort.Port;
        var value = target.Value;
        if (int.TryParse(value, out var number)) return number;
        foreach (var c in pod.Spec?.Containers ?? [])
        foreach (var p in c.Ports ?? [])
            if (p.Name == value && (p.Protocol ?? "TCP") == (servicePort.Protocol ?? "TCP")) return p.ContainerPort;
        return null;
    }

    /// <summary>ShouldSetHostname: a pod whose subdomain names this Service is reachable by its hostname.</summary>
    public static string? Hostname(V1Pod pod, V1Service service) =>
        pod.Spec?.Hostname is { Length: > 0 } hostname && pod.Spec.Subdomain == service.Metadata?.Name
        && pod.Metadata?.NamespaceProperty == service.Metadata?.NamespaceProperty ? hostname : null;

    /// <summary>
    /// When the endpoints last had reason to change (the EndpointsChangeTracker's trigger time): the
    /// latest of the Service's creation and its pods' Ready transitions (or creations).
    /// </summary>
    public static DateTime? TriggerTime(V1Service service, IEnumerable<V1Pod> pods)
    {
        DateTime? latest = service.Metadata?.CreationTimestamp;
        foreach (var pod in pods)
        {
            var at = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.LastTransitionTime ?? pod.Metadata?.CreationTimestamp;
            if (at is { } t && (latest is null || t > latest)) latest = t;
        }
        return latest;
    }

    /// <summary>Go's time.RFC3339Nano of a UTC time (no trailing zeros in the fraction).</summary>
    public static string Rfc3339Nano(DateTime time)
    {
        var utc = time.ToUniversalTime();
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        if (fraction != 0) text += "." + fraction.ToString("D7").TrimEnd('0');
        return text + "Z";
    }

    /// <summary>
    /// What an endpoints controller sees of a pod: when none of it changed (a status write about
    /// something else), no Service needs another sync (podEndpointsChanged).
    /// </summary>
    public static string Signature(V1Pod pod) => string.Join('|',
        pod.Status?.PodIP, IsReady(pod), pod.Metadata?.DeletionTimestamp is not null, pod.Status?.Phase is "Succeeded" or "Failed",
        pod.Spec?.NodeName, pod.Spec?.Hostname, pod.Spec?.Subdomain);
}
