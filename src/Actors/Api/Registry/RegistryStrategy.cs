using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Registry;

/// <summary>
/// What the registry strategies do before validation (PrepareForCreate/PrepareForUpdate):
/// status starts as the zero status (pods Pending with their QoS class), namespaces get their finalizer,
/// services their cluster IP and node ports (and lose the fields a type change leaves unused).
/// </summary>
public static class RegistryStrategy
{
    public static void PrepareForCreate(ResourceType type, JsonObject obj)
    {
        switch (type.Kind)
        {
            case "Pod":
                obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass.Of(obj) };
                break;
            // The zero status as the apiserver writes it: counters without omitempty show as 0.
            case "Deployment" or "Job" or "CronJob":
                obj["status"] = new JsonObject();
                if (type.Kind == "Job") Batch.JobStrategy.PrepareForCreate(obj);
                break;
            case "ReplicationController" or "ReplicaSet":
                obj["status"] = new JsonObject { ["replicas"] = 0 };
                break;
            case "StatefulSet":
                obj["status"] = new JsonObject { ["replicas"] = 0, ["availableReplicas"] = 0 };
                StatefulSetStrategy.DropDisabledFields(obj, null);
                break;
            case "DaemonSet":
                obj["status"] = new JsonObject
                {
                    ["currentNumberScheduled"] = 0, ["numberMisscheduled"] = 0, ["desiredNumberScheduled"] = 0, ["numberReady"] = 0,
                };
                DaemonSetStrategy.PrepareForCreate(obj);
                break;
            case "Namespace":
                KubeObject.EnsureObject(obj, "spec")["finalizers"] = new JsonArray("kubernetes");
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case "Service":
                obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                ServiceAllocation.Allocate(obj);
                break;
            case "PersistentVolumeClaim":
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case "PersistentVolume":
                Defaulting.StorageDefaults.PrepareVolumeForCreate(obj);
                break;
            case "PodDisruptionBudget":
                obj["status"] = PodDisruptionBudgetStrategy.ZeroStatus();
                break;
            // The zero statuses: no ingress or HPA controller ever fills theirs in here; a quota's is the ResourceQuotaController's.
            case "Ingress":
                obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                break;
            case "HorizontalPodAutoscaler":
                obj["status"] = new JsonObject { ["desiredReplicas"] = 0 };
                break;
            case "ResourceQuota":
                obj["status"] = new JsonObject();
                break;
            case "CustomResourceDefinition":
                // The Store accepts its names and establishes it in the same write (CustomResourceDefinitionStatus).
                obj["status"] = new JsonObject();
                break;
        }
    }

    public static void PrepareForUpdate(ResourceType type, JsonObject obj, JsonObject old)
    {
        if (type.Kind == "Service")
        {
            // The allocated IP and node ports stay with the service (patchAllocatedValues), while it has them.
            if (ServiceTypeChange.KeepsClusterIp(obj, old)
                && KubeObject.ScalarAt(old, "spec.clusterIP") is { } ip && KubeObject.ScalarAt(obj, "spec.clusterIP") is null or "")
            {
                KubeObject.EnsureObject(obj, "spec")["clusterIP"] = ip;
                obj["spec"]!["clusterIPs"] = KubeObject.At(old, "spec.clusterIPs")?.DeepClone();
            }
            ServiceTypeChange.DropTypeDependentFields(obj, old);
            ServiceAllocation.Allocate(obj);
        }
        if (type.Kind == "Namespace") obj["spec"] = old["spec"]?.DeepClone();
        if (type.Kind == "StatefulSet") StatefulSetStrategy.DropDisabledFields(obj, old);
        if (type.Kind == "DaemonSet") DaemonSetStrategy.PrepareForUpdate(obj, old);
    }
}

/// <summary>GetPodQOS: Guaranteed when every container's requests equal its limits for cpu and memory, BestEffort when nothing is asked.</summary>
public static class QosClass
{
    public static string Of(JsonObject pod)
    {
        var containers = new[] { "spec.containers", "spec.initContainers" }
            .SelectMany(p => (KubeObject.At(pod, p) as JsonArray)?.OfType<JsonObject>() ?? []).ToList();
        var anyRequest = false;
        var guaranteed = containers.Count > 0;
        foreach (var c in containers)
        {
            var requests = KubeObject.At(c, "resources.requests") as JsonObject;
            var limits = KubeObject.At(c, "resources.limits") as JsonObject;
            foreach (var resource in new[] { "cpu", "memory" })
            {
                var request = Quantity(requests?[resource]);
                var limit = Quantity(limits?[resource]);
                if (request > 0 || limit > 0) anyRequest = true;
                if (limit is null or 0 || (request ?? limit) != limit) guaranteed = false;
            }
        }
        return !anyRequest ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    private static decimal? Quantity(JsonNode? node)
    {
        if (KubeObject.ScalarText(node) is not { } text) return null;
        try { return new ResourceQuantity(text).ToDecimal(); }
        catch (Exception e) when (e is FormatException or ArgumentException) { return null; }
    }
}
