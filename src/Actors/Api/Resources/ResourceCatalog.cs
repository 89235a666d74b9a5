using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Resources;

/// <summary>
/// The resources this emulator serves. Selectable fields follow each kind's
/// <c>GetAttrs</c>/<c>SelectableFields</c> in kube-apiserver's registry.
/// </summary>
public static class ResourceCatalog
{
    private static readonly string[] None = [];

    public static readonly ResourceType Namespaces = new("", "v1", "Namespace", "namespaces", "namespace", false,
        typeof(V1Namespace), ["ns"], None, ["status", "finalize"], ["status.phase"]);

    public static readonly ResourceType ConfigMaps = new("", "v1", "ConfigMap", "configmaps", "configmap", true,
        typeof(V1ConfigMap), ["cm"], None, None, None);

    public static readonly ResourceType Secrets = new("", "v1", "Secret", "secrets", "secret", true,
        typeof(V1Secret), None, None, None, ["type"]);

    public static readonly ResourceType Pods = new("", "v1", "Pod", "pods", "pod", true,
        typeof(V1Pod), ["po"], ["all"], ["status", "binding", "eviction", "log", "exec", "attach", "portforward", "ephemeralcontainers"],
        ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
         "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"]);

    public static readonly ResourceType Nodes = new("", "v1", "Node", "nodes", "node", false,
        typeof(V1Node), ["no"], None, ["status"], ["spec.unschedulable"]);

    public static readonly ResourceType Events = new("", "v1", "Event", "events", "event", true,
        typeof(Corev1Event), ["ev"], None, None,
        ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
         "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
         "reason", "reportingComponent", "source", "type"]);

    public static readonly ResourceType Services = new("", "v1", "Service", "services", "service", true,
        typeof(V1Service), ["svc"], ["all"], ["status"], None);

    public static readonly ResourceType Endpoints = new("", "v1", "Endpoints", "endpoints", "endpoints", true,
        typeof(V1Endpoints), ["ep"], None, None, None);

    public static readonly ResourceType EndpointSlices = new("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", "endpointslice", true,
        typeof(V1EndpointSlice), None, None, None, None);

    public static readonly ResourceType ServiceAccounts = new("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true,
        typeof(V1ServiceAccount), ["sa"], None, ["token"], None);

    public static readonly ResourceType PersistentVolumeClaims = new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims",
        "persistentvolumeclaim", true, typeof(V1PersistentVolumeClaim), ["pvc"], None, ["status"], None);

    public static readonly ResourceType PersistentVolumes = new("", "v1", "PersistentVolume", "persistentvolumes",
        "persistentvolume", false, typeof(V1PersistentVolume), ["pv"], None, ["status"], None);

    public static readonly ResourceType ReplicationControllers = new("", "v1", "ReplicationController", "replicationcontrollers",
        "replicationcontroller", true, typeof(V1ReplicationController), ["rc"], ["all"], ["status", "scale"], ["status.replicas"]);

    public static readonly ResourceType Deployments = new("apps", "v1", "Deployment", "deployments", "deployment", true,
        typeof(V1Deployment), ["deploy"], ["all"], ["status", "scale"], None);

    public static readonly ResourceType ReplicaSets = new("apps", "v1", "ReplicaSet", "replicasets", "replicaset", true,
        typeof(V1ReplicaSet), ["rs"], ["all"], ["status", "scale"], None);

    public static readonly ResourceType StatefulSets = new("apps", "v1", "StatefulSet", "statefulsets", "statefulset", true,
        typeof(V1StatefulSet), ["sts"], ["all"], ["status", "scale"], None);

    public static readonly ResourceType DaemonSets = new("apps", "v1", "DaemonSet", "daemonsets", "daemonset", true,
        typeof(V1DaemonSet), ["ds"], ["all"], ["status"], None);

    public static readonly ResourceType ControllerRevisions = new("apps", "v1", "ControllerRevision", "controllerrevisions", "controllerrevision", true,
        typeof(V1ControllerRevision), None, None, None, None);

    public static readonly ResourceType Jobs = new("batch", "v1", "Job", "jobs", "job", true,
        typeof(V1Job), None, ["all"], ["status"], ["status.successful"]);

    public static readonly ResourceType CronJobs = new("batch", "v1", "CronJob", "cronjobs", "cronjob", true,
        typeof(V1CronJob), ["cj"], ["all"], ["status"], None);

    public static readonly ResourceType Leases = new("coordination.k8s.io", "v1", "Lease", "leases", "lease", true,
        typeof(V1Lease), None, None, None, None);

    public static readonly ResourceType StorageClasses = new("storage.k8s.io", "v1", "StorageClass", "storageclasses", "storageclass", false,
        typeof(V1StorageClass), ["sc"], None, None, None);

    public static readonly ResourceType VolumeAttachments = new("storage.k8s.io", "v1", "VolumeAttachment", "volumeattachments", "volumeattachment", false,
        typeof(V1VolumeAttachment), None, None, ["status"], None);

    public static readonly ResourceType CsiDrivers = new("storage.k8s.io", "v1", "CSIDriver", "csidrivers", "csidriver", false,
        typeof(V1CSIDriver), None, None, None, None);

    public static readonly ResourceType CsiNodes = new("storage.k8s.io", "v1", "CSINode", "csinodes", "csinode", false,
        typeof(V1CSINode), None, None, None, None);

    public static readonly ResourceType CsiStorageCapacities = new("storage.k8s.io", "v1", "CSIStorageCapacity", "csistoragecapacities", "csistoragecapacity", true,
        typeof(V1CSIStorageCapacity), None, None, None, None);

    public static readonly ResourceType PriorityClasses = new("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", "priorityclass", false,
        typeof(V1PriorityClass), ["pc"], None, None, None);
    public static readonly ResourceType PodDisruptionBudgets = new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets",
        "poddisruptionbudget", true, typeof(V1PodDisruptionBudget), ["pdb"], None, ["status"], None);

    public static readonly ResourceType ResourceQuotas = new("", "v1", "ResourceQuota", "resourcequotas", "resourcequota", true,
        typeof(V1ResourceQuota), ["quota"], None, ["status"], None);

    public static readonly ResourceType LimitRanges = new("", "v1", "LimitRange", "limitranges", "limitrange", true,
        typeof(V1LimitRange), ["limits"], None, None, None);

    public static readonly ResourceType Ingresses = new("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", true,
        typeof(V1Ingress), ["ing"], None, ["status"], None);

    public static readonly ResourceType IngressClasses = new("networking.k8s.io", "v1", "IngressClass", "ingressclasses", "ingressclass", false,
        typeof(V1IngressClass), None, None, None, None);

    public static readonly ResourceType NetworkPolicies = new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", "networkpolicy", true,
        typeof(V1NetworkPolicy), ["netpol"], None, None, None);

    /// <summary>autoscaling/v2 is the storage version; autoscaling/v1 is served from it (see HorizontalPodAutoscalerV1Conversion).</summary>
    public static readonly ResourceType HorizontalPodAutoscalers = new("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
        "horizontalpodautoscaler", true, typeof(V2HorizontalPodAutoscaler), ["hpa"], ["all"], ["status"], None);

    public static readonly ResourceType HorizontalPodAutoscalersV1 = new("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
        "horizontalpodautoscaler", true, typeof(V1HorizontalPodAutoscaler), ["hpa"], ["all"], ["status"], None);

    public static readonly ResourceType RuntimeClasses = new("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", "runtimeclass", false,
        typeof(V1RuntimeClass), None, None, None, None);

    public static readonly ResourceType ValidatingWebhookConfigurations = new("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations", "validatingwebhookconfiguration", false, typeof(V1ValidatingWebhookConfiguration), None, ["api-extensions"], None, None);

    public static readonly ResourceType MutatingWebhookConfigurations = new("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations", "mutatingwebhookconfiguration", false, typeof(V1MutatingWebhookConfiguration), None, ["api-extensions"], None, None);

    public static readonly ResourceType Roles = new("rbac.authorization.k8s.io", "v1", "Role", "roles", "role", true,
        typeof(V1Role), None, None, None, None);

    public static readonly ResourceType ClusterRoles = new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole", false,
        typeof(V1ClusterRole), None, None, None, None);

    public static readonly ResourceType RoleBindings = new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding", true,
        typeof(V1RoleBinding), None, None, None, None);

    public static readonly ResourceType ClusterRoleBindings = new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings",
        "clusterrolebinding", false, typeof(V1ClusterRoleBinding), None, None, None, None);

    // Reviews are create-only and never stored: the answer is computed from the request (see IsReview).
    private static readonly string[] CreateOnly = ["create"];

    public static readonly ResourceType SelfSubjectAccessReviews = new("authorization.k8s.io", "v1", "SelfSubjectAccessReview",
        "selfsubjectaccessreviews", "selfsubjectaccessreview", false, typeof(V1SelfSubjectAccessReview), None, None, None, None) { Verbs = CreateOnly };

    public static readonly ResourceType SelfSubjectRulesReviews = new("authorization.k8s.io", "v1", "SelfSubjectRulesReview",
        "selfsubjectrulesreviews", "selfsubjectrulesreview", false, typeof(V1SelfSubjectRulesReview), None, None, None, None) { Verbs = CreateOnly };

    public static readonly ResourceType SubjectAccessReviews = new("authorization.k8s.io", "v1", "SubjectAccessReview",
        "subjectaccessreviews", "subjectaccessreview", false, typeof(V1SubjectAccessReview), None, None, None, None) { Verbs = CreateOnly };

    public static readonly ResourceType LocalSubjectAccessReviews = new("authorization.k8s.io", "v1", "LocalSubjectAccessReview",
        "localsubjectaccessreviews", "localsubjectaccessreview", true, typeof(V1LocalSubjectAccessReview), None, None, None, None) { Verbs = CreateOnly };

    public static readonly ResourceType SelfSubjectReviews = new("authentication.k8s.io", "v1", "SelfSubjectReview",
        "selfsubjectreviews", "selfsubjectreview", false, typeof(V1SelfSubjectReview), None, None, None, None) { Verbs = CreateOnly };

    public static readonly ResourceType TokenReviews = new("authentication.k8s.io", "v1", "TokenReview",
        "tokenreviews", "tokenreview", false, typeof(V1TokenReview), None, None, None, None) { Verbs = CreateOnly };

    /// <summary>events.k8s.io/v1 is served from the same storage as core events (see EventsV1Conversion).</summary>
    public static readonly ResourceType EventsV1 = new("events.k8s.io", "v1", "Event", "events", "event", true,
        typeof(Eventsv1Event), ["ev"], None, None, None);

    public static readonly ResourceType CustomResourceDefinitions = new("apiextensions.k8s.io", "v1", "CustomResourceDefinition",
        "customresourcedefinitions", "customresourcedefinition", false, typeof(V1CustomResourceDefinition), ["crd", "crds"],
        ["api-extensions"], ["status"], None);

    public static readonly IReadOnlyList<ResourceType> All =
    [
        Namespaces, ConfigMaps, Secrets, Pods, Nodes, Events, Services, Endpoints, ServiceAccounts,
        PersistentVolumeClaims, PersistentVolumes, ReplicationControllers, ResourceQuotas, LimitRanges,
        Deployments, ReplicaSets, StatefulSets, DaemonSets, ControllerRevisions,
        // v2 first: discovery lists a group's versions in this order and prefers the first.
        HorizontalPodAutoscalers, HorizontalPodAutoscalersV1,
        Jobs, CronJobs,
        Ingresses, IngressClasses, NetworkPolicies,
        Leases,
        EventsV1,
        EndpointSlices,
        StorageClasses, VolumeAttachments, CsiDrivers, CsiNodes, CsiStorageCapacities,
        PriorityClasses,
        PodDisruptionBudgets,
        ValidatingWebhookConfigurations, MutatingWebhookConfigurations,
        RuntimeClasses,
        CustomResourceDefinitions,
        Roles, ClusterRoles, RoleBindings, ClusterRoleBindings,
        SelfSubjectAccessReviews, SelfSubjectRulesReviews, SubjectAccessReviews, LocalSubjectAccessReviews,
        SelfSubjectReviews, TokenReviews,
    ];

    /// <summary>
    /// The resources with objects of their own: not the versions served from another one's storage,
    /// nor the create-only reviews.
    /// </summary>
    public static IEnumerable<ResourceType> Stored => All.Where(r => StorageOf(r) == r && !IsReview(r));

    /// <summary>A review (SelfSubjectAccessReview, TokenReview, ...): answered at create time, never stored, listed or watched.</summary>
    public static bool IsReview(ResourceType type) => !type.Verbs.Contains("list");

    /// <summary>Group versions in the order discovery lists them (core first, as kube-apiserver does).</summary>
    public static IReadOnlyList<string> GroupVersions { get; } =
        All.Select(r => r.ApiVersion).Distinct().ToArray();

    private static readonly Dictionary<(string Group, string Version, string Plural), ResourceType> ByPath =
        All.ToDictionary(r => (r.Group, r.Version, r.Plural));

    private static readonly Dictionary<(string ApiVersion, string Kind), ResourceType> ByKind =
        All.ToDictionary(r => (r.ApiVersion, r.Kind));

    /// <summary>A built-in resource, else a custom one a served CustomResourceDefinition defines.</summary>
    public static ResourceType? Find(string group, string version, string plural) =>
        ByPath.GetValueOrDefault((group, version, plural)) ?? CustomResources.CustomResourceRegistry.Find(group, version, plural);

    public static ResourceType? FindByKind(string apiVersion, string kind) =>
        ByKind.GetValueOrDefault((apiVersion, kind)) ?? CustomResources.CustomResourceRegistry.FindByKind(apiVersion, kind);

    /// <summary>Every served resource: the built-in ones, then the custom ones in the order of their definitions.</summary>
    public static IReadOnlyList<ResourceType> Served() => [.. All, .. CustomResources.CustomResourceRegistry.Served()];

    // events.k8s.io events are stored as core events: a Corev1Event is "events".
    private static readonly Dictionary<Type, ResourceType> ByModel =
        All.Where(r => StorageOf(r) == r).ToDictionary(r => r.ModelType);

    /// <summary>The resource whose model type is <paramref name="model"/> (V1Pod: pods).</summary>
    public static ResourceType ForModel(Type model) =>
        ByModel.GetValueOrDefault(model) ?? throw new ArgumentException($"{model.Name} is not the model of a served resource");

    /// <summary>The resources of a group version sorted by name, the order of kube-apiserver's discovery (its installer sorts the paths).</summary>
    public static IEnumerable<ResourceType> InGroupVersion(string group, string version) =>
        Served().Where(r => r.Group == group && r.Version == version).OrderBy(r => r.Plural, StringComparer.Ordinal);

    /// <summary>
    /// The resource whose objects the store files a request under: events.k8s.io events share
    /// core events' storage and autoscaling/v1 HPAs autoscaling/v2's, as in kube-apiserver.
    /// </summary>
    public static ResourceType StorageOf(ResourceType type) =>
        type == EventsV1 ? Events : type == HorizontalPodAutoscalersV1 ? HorizontalPodAutoscalers : type;
}
