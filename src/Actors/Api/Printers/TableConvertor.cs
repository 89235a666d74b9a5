using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>The includeObject query parameter of Table requests.</summary>
public enum IncludeObject { None, Metadata, Object }

/// <summary>
/// Server-side printing (pkg/printers + the apiserver's TableConvertor): the meta.k8s.io/v1
/// Table `kubectl get` shows, with every column (kubectl hides priority 1 unless -o wide).
/// Kinds without a printer get the default Name / Created At table.
/// </summary>
public static class TableConvertor
{
    private static readonly Printer Default = new(
        [Column.NameColumn, new("Created At", Column.Age.Description, Type: "date")],
        (o, _) => [KubeObject.Name(o), KubeObject.ScalarAt(o, "metadata.creationTimestamp")]);

    private static readonly Dictionary<ResourceType, Printer> Printers = new()
    {
        [ResourceCatalog.Pods] = PodPrinter.Printer,
        [ResourceCatalog.Nodes] = NodePrinter.Printer,
        [ResourceCatalog.Events] = EventPrinter.Printer,
        [ResourceCatalog.Namespaces] = CorePrinters.Namespace,
        [ResourceCatalog.ConfigMaps] = CorePrinters.ConfigMap,
        [ResourceCatalog.Secrets] = CorePrinters.Secret,
        [ResourceCatalog.ServiceAccounts] = CorePrinters.ServiceAccount,
        [ResourceCatalog.Endpoints] = CorePrinters.Endpoints,
        [ResourceCatalog.EndpointSlices] = EndpointSlicePrinter.Printer,
        [ResourceCatalog.Leases] = CorePrinters.Lease,
        [ResourceCatalog.PersistentVolumeClaims] = StoragePrinters.PersistentVolumeClaim,
        [ResourceCatalog.PersistentVolumes] = StoragePrinters.PersistentVolume,
        [ResourceCatalog.StorageClasses] = StoragePrinters.StorageClass,
        [ResourceCatalog.VolumeAttachments] = StoragePrinters.VolumeAttachment,
        [ResourceCatalog.CsiDrivers] = StoragePrinters.CsiDriver,
        [ResourceCatalog.CsiNodes] = StoragePrinters.CsiNode,
        [ResourceCatalog.CsiStorageCapacities] = StoragePrinters.CsiStorageCapacity,
        [ResourceCatalog.Services] = ServicePrinter.Printer,
        [ResourceCatalog.Deployments] = WorkloadPrinters.Deployment,
        [ResourceCatalog.ReplicaSets] = WorkloadPrinters.ReplicaSet,
        [ResourceCatalog.ReplicationControllers] = WorkloadPrinters.ReplicationController,
        [ResourceCatalog.StatefulSets] = WorkloadPrinters.StatefulSet,
        [ResourceCatalog.DaemonSets] = WorkloadPrinters.DaemonSet,
        [ResourceCatalog.ControllerRevisions] = WorkloadPrinters.ControllerRevision,
        [ResourceCatalog.Jobs] = WorkloadPrinters.Job,
        [ResourceCatalog.CronJobs] = WorkloadPrinters.CronJob,
        [ResourceCatalog.PriorityClasses] = SchedulingPrinters.PriorityClass,
        [ResourceCatalog.PodDisruptionBudgets] = PolicyPrinters.PodDisruptionBudget,
        [ResourceCatalog.ResourceQuotas] = CorePrinters.ResourceQuota,
        [ResourceCatalog.Ingresses] = NetworkingPrinters.Ingress,
        [ResourceCatalog.IngressClasses] = NetworkingPrinters.IngressClass,
        [ResourceCatalog.NetworkPolicies] = NetworkingPrinters.NetworkPolicy,
        [ResourceCatalog.HorizontalPodAutoscalers] = AutoscalingPrinters.HorizontalPodAutoscaler,
        [ResourceCatalog.RuntimeClasses] = NodePrinters.RuntimeClass,
        [ResourceCatalog.ValidatingWebhookConfigurations] = AdmissionRegistrationPrinters.WebhookConfiguration,
        [ResourceCatalog.MutatingWebhookConfigurations] = AdmissionRegistrationPrinters.WebhookConfiguration,
        [ResourceCatalog.RoleBindings] = RbacPrinters.RoleBinding,
        [ResourceCatalog.ClusterRoleBindings] = RbacPrinters.ClusterRoleBinding,
    };

    /// <param name="objects">Objects as the client sees them (events.k8s.io events already converted).</param>
    public static JsonObject ToTable(ResourceType type, IReadOnlyList<JsonObject> objects, DateTimeOffset now, IncludeObject include = IncludeObject.Metadata)
    {
        // A version served from another's storage prints as the stored one does (printers.go prints internal objects).
        var printer = type.Custom is not null ? CustomResourcePrinter.For(type)
            : Printers.GetValueOrDefault(ResourceCatalog.StorageOf(type), Default);
        var rows = new JsonArray();
        foreach (var o in objects)
        {
            var source = Rest.ServedVersions.ToStorage(type, o);
            var row = new JsonObject { ["cells"] = new JsonArray(printer.Cells(source, now).Select(c => c?.DeepClone()).ToArray()) };
            if (include != IncludeObject.None)
                row["object"] = include == IncludeObject.Object ? o.DeepClone() : new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = o["metadata"]?.DeepClone(),
                };
            rows.Add(row);
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject(),
            ["columnDefinitions"] = new JsonArray(printer.Columns.Select(c => (JsonNode)c.ToJson()).ToArray()),
            ["rows"] = rows,
        };
    }
}
