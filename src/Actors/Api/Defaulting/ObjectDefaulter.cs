using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using static Akka.KubeEmu.Actors.Api.Defaulting.PodDefaults;

namespace Akka.KubeEmu.Actors.Api.Defaulting;

/// <summary>
/// Defaulting (the v1 SetDefaults_* functions of each group) plus the mutating admission a
/// default cluster runs, applied to every created or updated object before validation.
/// </summary>
public static class ObjectDefaulter
{
    public static void Apply(ResourceType type, JsonObject obj, AdmissionSettings settings)
    {
        var spec = obj["spec"] as JsonObject;
        switch (type.Kind)
        {
            case "CustomResourceDefinition":
                CustomResources.CustomResourceDefinitionDefaults.Apply(obj);
                break;
            case "Pod":
                if (spec is null) return;
                Spec(spec);
                Admit(obj, settings);
                break;
            case "Deployment":
                if (spec is null) return;
                Default(spec, "replicas", 1);
                Default(spec, "revisionHistoryLimit", 10);
                Default(spec, "progressDeadlineSeconds", 600);
                var strategy = KubeObject.EnsureObject(spec, "strategy");
                Default(strategy, "type", "RollingUpdate");
                if (KubeObject.String(strategy, "type") == "RollingUpdate")
                {
                    var rolling = KubeObject.EnsureObject(strategy, "rollingUpdate");
                    Default(rolling, "maxUnavailable", "25%");
                    Default(rolling, "maxSurge", "25%");
                }
                Template(spec);
                break;
            case "ReplicationController":
                if (spec is null) return;
                ReplicationController(obj, spec);
                Template(spec);
                break;
            case "ReplicaSet":
                if (spec is null) return;
                Default(spec, "replicas", 1);
                Template(spec);
                break;
            case "StatefulSet":
                if (spec is null) return;
                Default(spec, "replicas", 1);
                Default(spec, "podManagementPolicy", "OrderedReady");
                Default(spec, "revisionHistoryLimit", 10);
                var update = KubeObject.EnsureObject(spec, "updateStrategy");
                Default(update, "type", "RollingUpdate");
                if (KubeObject.String(update, "type") == "RollingUpdate") Default(KubeObject.EnsureObject(update, "rollingUpdate"), "partition", 0);
                var retention = KubeObject.EnsureObject(spec, "persistentVolumeClaimRetentionPolicy");
                Default(retention, "whenDeleted", "Retain");
                Default(retention, "whenScaled", "Retain");
                foreach (var claim in (spec["volumeClaimTemplates"] as JsonArray)?.OfType<JsonObject>() ?? [])
                {
                    claim["apiVersion"] ??= "v1";
                    claim["kind"] ??= "PersistentVolumeClaim";
                    Default(KubeObject.EnsureObject(claim, "spec"), "volumeMode", "Filesystem");
                    claim["status"] ??= new JsonObject { ["phase"] = "Pending" };
                }
                Template(spec);
                break;
            case "DaemonSet":
                if (spec is null) return;
                Default(spec, "revisionHistoryLimit", 10);
                var dsUpdate = KubeObject.EnsureObject(spec, "updateStrategy");
                Default(dsUpdate, "type", "RollingUpdate");
                if (KubeObject.String(dsUpdate, "type") == "RollingUpdate")
                {
                    var rolling = KubeObject.EnsureObject(dsUpdate, "rollingUpdate");
                    Default(rolling, "maxUnavailable", 1);
                    Default(rolling, "maxSurge", 0);
                }
                Template(spec);
                break;
            case "Job":
                if (spec is null) return;
                JobSpec(spec);
                break;
            case "CronJob":
                if (spec is null) return;
                Default(spec, "concurrencyPolicy", "Allow");
                Default(spec, "suspend", false);
                Default(spec, "successfulJobsHistoryLimit", 3);
                Default(spec, "failedJobsHistoryLimit", 1);
                if (KubeObject.At(spec, "jobTemplate.spec") is JsonObject jobSpec) JobSpec(jobSpec);
                break;
            case "Service":
                if (spec is null) return;
                Default(spec, "type", "ClusterIP");
                Default(spec, "sessionAffinity", "None");
                if (KubeObject.String(spec, "type") != "ExternalName")
                {
                    Default(spec, "internalTrafficPolicy", "Cluster");
                    if (KubeObject.String(spec, "clusterIP") != "None" || spec["selector"] is JsonObject { Count: > 0 }) Default(spec, "ipFamilyPolicy", "SingleStack");
                    Default(spec, "ipFamilies", new JsonArray("IPv4"));
                }
                if (KubeObject.String(spec, "type") is "NodePort" or "LoadBalancer") Default(spec, "externalTrafficPolicy", "Cluster");
                foreach (var port in (spec["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
                {
                    Default(port, "protocol", "TCP");
                    Default(port, "targetPort", port["port"]?.DeepClone());
                }
                break;
            case "Namespace":
                var labels = KubeObject.EnsureObject(KubeObject.Metadata(obj), "labels");
                labels["kubernetes.io/metadata.name"] = KubeObject.Name(obj);
                break;
            case "Secret":
                Default(obj, "type", "Opaque");
                SecretStringData.Merge(obj);
                break;
            case "PersistentVolumeClaim":
                if (spec is not null) Default(spec, "volumeMode", "Filesystem");
                break;
            case "PriorityClass":
                Default(obj, "preemptionPolicy", "PreemptLowerPriority");
                break;
            default:
                if (!ApiGroupDefaults.Apply(type.Kind, obj)) StorageDefaults.Apply(type.Kind, obj);
                break;
        }
    }

    /// <summary>
    /// SetDefaults_ReplicationController: a template that names labels (even none) lends them to
    /// an empty selector and to an unlabelled controller; the template never borrows from the selector.
    /// </summary>
    private static void ReplicationController(JsonObject obj, JsonObject spec)
    {
        if (KubeObject.At(spec, "template.metadata.labels") is JsonObject labels)
        {
            if (spec["selector"] is not JsonObject { Count: > 0 }) spec["selector"] = labels.DeepClone();
            var meta = KubeObject.Metadata(obj);
            if (meta["labels"] is not JsonObject { Count: > 0 }) meta["labels"] = labels.DeepClone();
        }
        Default(spec, "replicas", 1);
    }

    /// <summary>SetDefaults_Job: a Job with neither completions nor parallelism runs one pod once; a work queue (parallelism only) keeps completions unset.</summary>
    private static void JobSpec(JsonObject spec)
    {
        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            spec["completions"] = 1;
            spec["parallelism"] = 1;
        }
        Default(spec, "parallelism", 1);
        Default(spec, "backoffLimit", spec["backoffLimitPerIndex"] is null ? 6 : int.MaxValue);
        Default(spec, "completionMode", "NonIndexed");
        Default(spec, "suspend", false);
        Default(spec, "podReplacementPolicy", spec["podFailurePolicy"] is null ? "TerminatingOrFailed" : "Failed");
        foreach (var rule in (KubeObject.At(spec, "podFailurePolicy.rules") as JsonArray)?.OfType<JsonObject>() ?? [])
            foreach (var condition in (rule["onPodConditions"] as JsonArray)?.OfType<JsonObject>() ?? [])
                Default(condition, "status", "True");
        Template(spec);
    }

    private static void Template(JsonObject spec)
    {
        if (KubeObject.At(spec, "template.spec") is JsonObject podSpec) Spec(podSpec);
    }
}
