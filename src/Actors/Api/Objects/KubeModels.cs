using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Objects;

/// <summary>
/// The official typed models (k8s.Models) as controllers read them: decoded once from the
/// Store's JSON with KubernetesClient's own serializer settings, encoded back for writes.
/// Objects handed out by an informer are shared: <see cref="Clone{T}"/> before changing one.
/// </summary>
public static class KubeModels
{
    private static readonly JsonSerializerOptions Options = CaptureOptions();

    private static JsonSerializerOptions CaptureOptions()
    {
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = o);
        return options ?? throw new InvalidOperationException("KubernetesJson did not hand out its serializer options");
    }

    public static T Decode<T>(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<T>(utf8, Options) ?? throw new JsonException($"null {typeof(T).Name}");

    public static object Decode(Type type, ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, type, Options) ?? throw new JsonException($"null {type.Name}");

    public static T Decode<T>(JsonNode node) => KubernetesJson.Deserialize<T>(node);

    public static byte[] Encode(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    public static JsonObject ToJsonObject(object obj) => KubeObject.Parse(Encode(obj));

    /// <summary>A deep copy (client-go's DeepCopy), through the JSON form.</summary>
    public static T Clone<T>(T obj) where T : class => (T)Decode(obj.GetType(), Encode(obj));

    /// <summary>The cache key client-go uses: "namespace/name", or "name" for cluster-scoped objects.</summary>
    public static string Key(IKubernetesObject<V1ObjectMeta> obj) => Key(obj.Metadata?.NamespaceProperty, obj.Metadata?.Name);

    public static string Key(string? ns, string? name) => string.IsNullOrEmpty(ns) ? name ?? "" : ns + "/" + name;

    /// <summary>Splits a key made by <see cref="Key(string?, string?)"/>.</summary>
    public static (string Namespace, string Name) SplitKey(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? ("", key) : (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>The ownerReference with controller=true, if any (metav1.GetControllerOf).</summary>
    public static V1OwnerReference? ControllerOf(IKubernetesObject<V1ObjectMeta> obj) =>
        obj.Metadata?.OwnerReferences?.FirstOrDefault(r => r.Controller == true);

    public static bool IsDeleting(IKubernetesObject<V1ObjectMeta> obj) => obj.Metadata?.DeletionTimestamp is not null;
}
