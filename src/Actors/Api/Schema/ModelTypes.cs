using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Schema;

/// <summary>A JSON field of a KubernetesClient model: its name and CLR property.</summary>
public sealed record ModelField(string JsonName, PropertyInfo Property)
{
    public Type Type => Property.PropertyType;
}

/// <summary>
/// Reflection over the official KubernetesClient models (k8s.Models): their JSON fields, and the
/// names Kubernetes gives their definitions (io.k8s.api.core.v1.Pod, ...).
/// </summary>
public static class ModelTypes
{
    private static readonly Dictionary<Type, IReadOnlyDictionary<string, ModelField>> FieldCache = new();
    private static readonly Lock CacheLock = new();

    private static readonly HashSet<string> MetaTypes =
    [
        "ObjectMeta", "ListMeta", "LabelSelector", "LabelSelectorRequirement", "OwnerReference", "ManagedFieldsEntry",
        "Status", "StatusDetails", "StatusCause", "DeleteOptions", "Preconditions", "Condition", "WatchEvent",
        "APIResource", "APIResourceList", "APIGroup", "APIGroupList", "APIVersions", "GroupVersionForDiscovery",
        "ServerAddressByClientCIDR",
    ];

    private static readonly string[] AppsPrefixes =
        ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "RollingUpdateDeployment", "RollingUpdateDaemonSet", "RollingUpdateStatefulSetStrategy", "ControllerRevision"];

    private static readonly HashSet<string> AutoscalingTypes = ["Scale", "ScaleSpec", "ScaleStatus"];

    /// <summary>The definition prefix of apiextensions.k8s.io/v1 types.</summary>
    public const string ApiExtensions = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.";

    private static readonly string[] ApiExtensionsPrefixes =
        ["CustomResource", "JSONSchemaProps", "ExternalDocumentation", "ValidationRule", "WebhookConversion", "SelectableField"];

    private static readonly string[] BatchPrefixes =
        ["Job", "CronJob", "PodFailurePolicy", "SuccessPolicy", "UncountedTerminatedPods"];

    /// <summary>Fields whose DateTime is a metav1.MicroTime (microseconds) rather than a metav1.Time.</summary>
    public static readonly HashSet<string> MicroTimeFields = ["eventTime", "renewTime", "acquireTime", "lastObservedTime"];

    public static IReadOnlyDictionary<string, ModelField> Fields(Type type)
    {
        lock (CacheLock)
        {
            if (FieldCache.TryGetValue(type, out var cached)) return cached;
            var fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => (Property: p, Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
                .Where(p => p.Name is not null)
                .ToDictionary(p => p.Name!, p => new ModelField(p.Name!, p.Property), StringComparer.Ordinal);
            FieldCache[type] = fields;
            return fields;
        }
    }

    public static bool IsModel(Type type) => type.Namespace == "k8s.Models" && type.IsClass && type != typeof(ResourceQuantity) && type != typeof(IntOrString);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (Type? Element, Type? MapValue)> Shapes = new();

    /// <summary>T of List&lt;T&gt;/IList&lt;T&gt;, or null (cached: decoding asks for every field of every request).</summary>
    public static Type? ElementType(Type type) => Shape(type).Element;

    /// <summary>V of IDictionary&lt;string, V&gt;, or null.</summary>
    public static Type? MapValueType(Type type) => Shape(type).MapValue;

    private static (Type? Element, Type? MapValue) Shape(Type type) =>
        Shapes.GetOrAdd(type, t => (FindMapValueType(t) is { } v ? (null, v) : (FindElementType(t), null)));

    private static Type? FindElementType(Type type)
    {
        if (type == typeof(string) || type == typeof(byte[])) return null;
        if (type.IsArray) return type.GetElementType();
        var list = type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IList<>) || d == typeof(List<>) || d == typeof(IEnumerable<>) || d == typeof(ICollection<>) || d == typeof(IReadOnlyList<>))
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>));
        return list?.GetGenericArguments()[0];
    }

    private static Type? FindMapValueType(Type type)
    {
        var dict = type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IDictionary<,>) || d == typeof(Dictionary<,>) || d == typeof(IReadOnlyDictionary<,>))
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dict?.GetGenericArguments()[1];
    }

    /// <summary>The Kubernetes definition name of a model, e.g. io.k8s.api.apps.v1.Deployment.</summary>
    public static string DefinitionName(Type type)
    {
        if (type == typeof(ResourceQuantity)) return "io.k8s.apimachinery.pkg.api.resource.Quantity";
        if (type == typeof(IntOrString)) return "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
        var name = type.Name;
        if (name.StartsWith("Corev1", StringComparison.Ordinal)) return "io.k8s.api.core.v1." + name[6..];
        if (name.StartsWith("Eventsv1", StringComparison.Ordinal)) return "io.k8s.api.events.v1." + name[8..];
        if (name.StartsWith("Apiextensionsv1", StringComparison.Ordinal)) return ApiExtensions + name[15..];
        if (name.StartsWith("V1", StringComparison.Ordinal)) name = name[2..];
        if (ApiExtensionsPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))) return ApiExtensions + name;
        if (MetaTypes.Contains(name)) return "io.k8s.apimachinery.pkg.apis.meta.v1." + name;
        if (name.StartsWith("Lease", StringComparison.Ordinal)) return "io.k8s.api.coordination.v1." + name;
        if (AutoscalingTypes.Contains(name)) return "io.k8s.api.autoscaling.v1." + name;
        if (AppsPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))) return "io.k8s.api.apps.v1." + name;
        if (BatchPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))) return "io.k8s.api.batch.v1." + name;
        return "io.k8s.api.core.v1." + name;
    }

    /// <summary>"v1.Container", "meta.ObjectMeta"-style short Go type names for decode errors.</summary>
    public static string GoTypeName(Type type)
    {
        var def = DefinitionName(type);
        var parts = def.Split('.');
        return $"{parts[^2]}.{parts[^1]}";
    }
}
