using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Actors.Api.Admission;

/// <summary>
/// DefaultIngressClass, an admission plugin every default kube-apiserver runs on create: an
/// Ingress that names no class (no spec.ingressClassName and no deprecated kubernetes.io/ingress.class
/// annotation) gets the default IngressClass, the one annotated
/// ingressclass.kubernetes.io/is-default-class: "true" (of several, the newest, then the first by
/// name); without a default class it stays without one.
/// </summary>
public static class IngressClassAdmission
{
    public const string IsDefaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class";
    public const string DeprecatedClassAnnotation = "kubernetes.io/ingress.class";

    public static async Task<ApiStatus?> AdmitCreate(ResourceType type, JsonObject obj, StoreClient store)
    {
        if (type != ResourceCatalog.Ingresses) return null;
        if (KubeObject.At(obj, "spec.ingressClassName") is JsonValue) return null;
        if (KubeObject.At(obj, "metadata.annotations") is JsonObject a && a.ContainsKey(DeprecatedClassAnnotation)) return null;
        var (list, error) = await store.List(new ListObjects(ResourceCatalog.IngressClasses.GroupResource, Immediate: true));
        if (list is null) return ApiStatus.Forbidden(type, KubeObject.Name(obj), error?.Message ?? "cannot list ingress classes");
        if (DefaultClass(list.Items.Select(i => KubeObject.Parse(i.Utf8))) is { } name)
            KubeObject.EnsureObject(obj, "spec")["ingressClassName"] = name;
        return null;
    }

    public static bool IsDefault(JsonObject ingressClass) =>
        KubeObject.String(KubeObject.At(ingressClass, "metadata.annotations"), IsDefaultClassAnnotation) == "true";

    public static string? DefaultClass(IEnumerable<JsonObject> classes) =>
        classes.Where(IsDefault)
            .OrderByDescending(c => KubeObject.ParseTimestamp(KubeObject.ScalarAt(c, "metadata.creationTimestamp")) ?? DateTimeOffset.MinValue)
            .ThenBy(KubeObject.Name, StringComparer.Ordinal)
            .Select(KubeObject.Name)
            .FirstOrDefault();
}
