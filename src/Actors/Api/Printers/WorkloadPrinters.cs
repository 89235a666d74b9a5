using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>Deployments, ReplicaSets, ReplicationControllers, StatefulSets, DaemonSets, ControllerRevisions, Jobs and CronJobs, with CONTAINERS IMAGES SELECTOR for -o wide.</summary>
public static class WorkloadPrinters
{
    private static readonly Column Containers = new("Containers", "Names of each container in the template.", 1);
    private static readonly Column Images = new("Images", "Images referenced by each container in the template.", 1);
    private static readonly Column Selector = new("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", 1);

    public static readonly Printer Deployment = new(
        [Column.NameColumn, new("Ready", "Number of the pod with ready state"), new("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
         new("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."), Column.Age, Containers, Images, Selector],
        (o, now) =>
        {
            var d = KubernetesJson.Deserialize<V1Deployment>(o.ToJsonString());
            var t = Template(d.Spec?.Template);
            return [d.Metadata.Name, $"{d.Status?.ReadyReplicas ?? 0}/{d.Spec?.Replicas ?? 0}", d.Status?.UpdatedReplicas ?? 0, d.Status?.AvailableReplicas ?? 0,
                CorePrinters.Age(o, now), t.Names, t.Images, SelectorText(d.Spec?.Selector)];
        });

    public static readonly Printer ReplicaSet = new(
        [Column.NameColumn, new("Desired", "Number of desired pods"), new("Current", "Number of actual pods"), new("Ready", "Number of ready pods"), Column.Age, Containers, Images, Selector],
        (o, now) =>
        {
            var rs = KubernetesJson.Deserialize<V1ReplicaSet>(o.ToJsonString());
            var t = Template(rs.Spec?.Template);
            return [rs.Metadata.Name, rs.Spec?.Replicas ?? 0, rs.Status?.Replicas ?? 0, rs.Status?.ReadyReplicas ?? 0, CorePrinters.Age(o, now), t.Names, t.Images, SelectorText(rs.Spec?.Selector)];
        });

    public static readonly Printer ReplicationController = new(
        [Column.NameColumn,
         new("Desired", "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller", Type: "integer"),
         new("Current", "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller", Type: "integer"),
         new("Ready", "The number of ready replicas for this replication controller.", Type: "integer"),
         Column.Age, Containers, Images,
         new("Selector", "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", 1)],
        (o, now) =>
        {
            var rc = KubernetesJson.Deserialize<V1ReplicationController>(o.ToJsonString());
            var t = Template(rc.Spec?.Template);
            // labels.FormatLabels: the equality selector as k=v pairs, sorted.
            var selector = rc.Spec?.Selector is { Count: > 0 } set
                ? string.Join(",", set.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) : "<none>";
            return [rc.Metadata.Name, rc.Spec?.Replicas ?? 0, rc.Status?.Replicas ?? 0, rc.Status?.ReadyReplicas ?? 0, CorePrinters.Age(o, now), t.Names, t.Images, selector];
        });

    public static readonly Printer StatefulSet = new(
        [Column.NameColumn, new("Ready", "Number of the pod with ready state"), Column.Age, Containers, Images],
        (o, now) =>
        {
            var s = KubernetesJson.Deserialize<V1StatefulSet>(o.ToJsonString());
            var t = Template(s.Spec?.Template);
            return [s.Metadata.Name, $"{s.Status?.ReadyReplicas ?? 0}/{s.Spec?.Replicas ?? 0}", CorePrinters.Age(o, now), t.Names, t.Images];
        });

    public static readonly Printer DaemonSet = new(
        [Column.NameColumn, new("Desired", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod)."),
         new("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
         new("Ready", "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
         new("Up-to-date", "The total number of nodes that are running updated daemon pod"),
         new("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
         new("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
         Column.Age, Containers, Images, Selector],
        (o, now) =>
        {
            var ds = KubernetesJson.Deserialize<V1DaemonSet>(o.ToJsonString());
            var t = Template(ds.Spec?.Template);
            var nodeSelector = ds.Spec?.Template?.Spec?.NodeSelector is { Count: > 0 } ns
                ? string.Join(",", ns.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) : "<none>";
            var st = ds.Status;
            return [ds.Metadata.Name, st?.DesiredNumberScheduled ?? 0, st?.CurrentNumberScheduled ?? 0, st?.NumberReady ?? 0, st?.UpdatedNumberScheduled ?? 0,
                st?.NumberAvailable ?? 0, nodeSelector, CorePrinters.Age(o, now), t.Names, t.Images, SelectorText(ds.Spec?.Selector)];
        });

    /// <summary>CONTROLLER is the controller reference as kubectl names resources: `statefulset.apps/web`.</summary>
    public static readonly Printer ControllerRevision = new(
        [Column.NameColumn, new("Controller", "Controller of the object"),
         new("Revision", "Revision indicates the revision of the state represented by Data."), Column.Age],
        (o, now) =>
        {
            var owner = (o["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>()
                .FirstOrDefault(r => r["controller"]?.GetValue<bool>() == true);
            var controller = "<none>";
            if (owner is not null)
            {
                var apiVersion = owner["apiVersion"]?.GetValue<string>() ?? "";
                var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
                var kind = owner["kind"]?.GetValue<string>() ?? "";
                controller = (group.Length == 0 ? kind : $"{kind}.{group}").ToLowerInvariant() + "/" + owner["name"]?.GetValue<string>();
            }
            return [KubeObject.Name(o), controller, o["revision"]?.DeepClone() ?? 0, CorePrinters.Age(o, now)];
        });

    public static readonly Printer Job = new(
        [Column.NameColumn, new("Status", "Status of the job."), new("Completions", "The completion status of the job."), new("Duration", "Time required to complete the job."), Column.Age, Containers, Images, Selector],
        (o, now) =>
        {
            var job = KubernetesJson.Deserialize<V1Job>(o.ToJsonString());
            bool Has(string type) => job.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;
            var status = Has("Complete") ? "Complete" : Has("Failed") ? "Failed" : job.Metadata.DeletionTimestamp is not null ? "Terminating"
                : Has("Suspended") ? "Suspended" : Has("FailureTarget") ? "FailureTarget" : Has("SuccessCriteriaMet") ? "SuccessCriteriaMet" : "Running";
            var succeeded = job.Status?.Succeeded ?? 0;
            var completions = job.Spec?.Completions is { } c ? $"{succeeded}/{c}" : (job.Spec?.Parallelism ?? 0) > 1 ? $"{succeeded}/1 of {job.Spec!.Parallelism}" : $"{succeeded}/1";
            var duration = job.Status?.StartTime is not { } start ? ""
                : HumanDuration.Format((job.Status.CompletionTime is { } end ? new DateTimeOffset(DateTime.SpecifyKind(end, DateTimeKind.Utc)) : now)
                                       - new DateTimeOffset(DateTime.SpecifyKind(start, DateTimeKind.Utc)));
            var t = Template(job.Spec?.Template);
            return [job.Metadata.Name, status, completions, duration, CorePrinters.Age(o, now), t.Names, t.Images, SelectorText(job.Spec?.Selector)];
        });

    public static readonly Printer CronJob = new(
        [Column.NameColumn, new("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."), new("Timezone", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
         new("Suspend", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."),
         new("Active", "A list of pointers to currently running jobs."), new("Last Schedule", "Information when was the last time the job was successfully scheduled."),
         Column.Age, Containers, Images, Selector],
        (o, now) =>
        {
            var cj = KubernetesJson.Deserialize<V1CronJob>(o.ToJsonString());
            var t = Template(cj.Spec?.JobTemplate?.Spec?.Template);
            var last = cj.Status?.LastScheduleTime is { } l ? HumanDuration.Since(l, now) : "<none>";
            return [cj.Metadata.Name, cj.Spec?.Schedule ?? "", string.IsNullOrEmpty(cj.Spec?.TimeZone) ? "<none>" : cj.Spec.TimeZone,
                (cj.Spec?.Suspend ?? false) ? "True" : "False", cj.Status?.Active?.Count ?? 0, last, CorePrinters.Age(o, now), t.Names, t.Images,
                SelectorText(cj.Spec?.JobTemplate?.Spec?.Selector)];
        });

    private static (string Names, string Images) Template(V1PodTemplateSpec? template)
    {
        var containers = template?.Spec?.Containers ?? [];
        return (string.Join(",", containers.Select(c => c.Name)), string.Join(",", containers.Select(c => c.Image)));
    }

    /// <summary>metav1.FormatLabelSelector: "app=nginx,tier in (web)" or "&lt;none&gt;".</summary>
    internal static string SelectorText(V1LabelSelector? selector)
    {
        if (selector is null) return "<none>";
        var parts = (selector.MatchLabels ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}").ToList();
        foreach (var e in selector.MatchExpressions ?? [])
            parts.Add(e.OperatorProperty switch
            {
                "In" => $"{e.Key} in ({string.Join(",", e.Values ?? [])})",
                "NotIn" => $"{e.Key} notin ({string.Join(",", e.Values ?? [])})",
                "Exists" => e.Key,
                "DoesNotExist" => "!" + e.Key,
                _ => e.Key,
            });
        return parts.Count == 0 ? "<none>" : string.Join(",", parts);
    }
}
