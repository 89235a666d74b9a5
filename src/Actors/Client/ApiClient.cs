using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Cluster.Serialization;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Client;

/// <summary>
/// The way in for everything inside the cluster (controllers, scheduler, kubelets): the same
/// <see cref="RestStorage"/> pipeline as the HTTP API (decode checks, defaulting, admission,
/// registry strategy, validation) in front of the Store, as every Kubernetes component goes through
/// kube-apiserver. So a pod a controller creates is the pod kubectl would have created, with its
/// default tolerations, QoS class and validation errors. Typed calls take and return the official
/// models; the JSON calls serve code that keeps objects as JSON (the node side). Thread-safe.
/// </summary>
public sealed class ApiClient(RestStorage rest, string fieldManager)
{
    public RestStorage Rest => rest;

    /// <summary>Who writes (metadata.managedFields' manager): "replicaset-controller", "kubelet", ...</summary>
    public string FieldManager => fieldManager;

    /// <summary>The same client under another manager name (one per controller).</summary>
    public ApiClient As(string manager) => new(rest, manager);

    private WriteOptions Options => new(FieldManager: fieldManager);

    // ---- typed ----

    public async Task<ApiResult<T>> Get<T>(string ns, string name) where T : class, IKubernetesObject<V1ObjectMeta> =>
        Typed<T>(await rest.Get(TypeOf<T>(), ns, name));

    public async Task<ApiResult<IReadOnlyList<T>>> List<T>(string? ns = null, string? labelSelector = null, string? fieldSelector = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (list, error) = await rest.List(TypeOf<T>(), ns, labelSelector, fieldSelector, 0, null);
        if (list is null) return ApiResult<IReadOnlyList<T>>.Fail(error!);
        return new ApiResult<IReadOnlyList<T>>(list.Items.Select(i => KubeModels.Decode<T>(i.Utf8)).ToArray(), null);
    }

    public async Task<ApiResult<T>> Create<T>(T obj) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var type = TypeOf<T>();
        return Typed<T>(await rest.Create(type, NamespaceOf(type, obj), ToJson(type, obj), Options));
    }

    /// <summary>PUT of the whole object; its resourceVersion, when set, is a precondition (409 when stale).</summary>
    public Task<ApiResult<T>> Update<T>(T obj) where T : class, IKubernetesObject<V1ObjectMeta> => Put(obj, null);

    /// <summary>PUT of /status: only .status changes.</summary>
    public Task<ApiResult<T>> UpdateStatus<T>(T obj) where T : class, IKubernetesObject<V1ObjectMeta> => Put(obj, "status");

    /// <param name="contentType">A patch media type, e.g. <see cref="PatchDispatch.StrategicMergePatch"/>.</param>
    public async Task<ApiResult<T>> Patch<T>(string ns, string name, string contentType, string patch, string? subresource = null)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Typed<T>(await rest.Patch(TypeOf<T>(), ns, name, subresource, contentType, Encoding.UTF8.GetBytes(patch), Options));

    /// <summary>DELETE with options (grace period, propagation policy, preconditions). Success carries no object.</summary>
    public async Task<ApiStatus?> Delete<T>(string ns, string name, DeleteRequest? request = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var result = await rest.Delete(TypeOf<T>(), ns, name, request ?? new DeleteRequest());
        return result.Error;
    }

    /// <summary>POST pods/{name}/binding: the scheduler's only way to assign a node; the uid, when given, must still be the pod's.</summary>
    public async Task<ApiStatus?> Bind(string ns, string podName, string nodeName, string? podUid = null)
    {
        var meta = new JsonObject { ["name"] = podName, ["namespace"] = ns };
        if (!string.IsNullOrEmpty(podUid)) meta["uid"] = podUid;
        var binding = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Binding",
            ["metadata"] = meta,
            ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = nodeName },
        };
        return (await rest.Bind(ns, podName, binding)).Error;
    }

    // ---- JSON ----

    public async Task<StoreResult> Get(ResourceType type, string ns, string name) => Json(await rest.Get(type, ns, name));

    public async Task<StoreResult> Create(ResourceType type, JsonObject obj) =>
        Json(await rest.Create(type, type.Namespaced ? KubeObject.Namespace(obj) : null, WithTypeMeta(type, obj), Options));

    /// <param name="current">The object as last seen, when <paramref name="obj"/> carries its resourceVersion (see <see cref="RestStorage.Update"/>).</param>
    public async Task<StoreResult> Update(ResourceType type, JsonObject obj, string? subresource = null, JsonObject? current = null) =>
        Json(await rest.Update(type, type.Namespaced ? KubeObject.Namespace(obj) : "", KubeObject.Name(obj), subresource, WithTypeMeta(type, obj), Options, current));

    /// <param name="contentType">A patch media type, e.g. <see cref="PatchDispatch.StrategicMergePatch"/>.</param>
    public async Task<StoreResult> Patch(ResourceType type, string ns, string name, string contentType, string patch, string? subresource = null) =>
        Json(await rest.Patch(type, ns, name, subresource, contentType, Encoding.UTF8.GetBytes(patch), Options));

    public async Task<StoreResult> Delete(ResourceType type, string ns, string name, DeleteRequest? request = null) =>
        Json(await rest.Delete(type, ns, name, request ?? new DeleteRequest()));

    public async Task<(IReadOnlyList<RawJson>? Items, string? ResourceVersion, ApiStatus? Error)> List(
        ResourceType type, string? ns = null, string? labelSelector = null, string? fieldSelector = null)
    {
        var (list, error) = await rest.List(type, ns, labelSelector, fieldSelector, 0, null);
        return list is null ? (null, null, error) : (list.Items, list.ResourceVersion, null);
    }

    // ---- helpers ----

    private async Task<ApiResult<T>> Put<T>(T obj, string? subresource) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var type = TypeOf<T>();
        return Typed<T>(await rest.Update(type, NamespaceOf(type, obj) ?? "", obj.Metadata?.Name ?? "", subresource, ToJson(type, obj), Options));
    }

    private static ResourceType TypeOf<T>() => ResourceCatalog.ForModel(typeof(T));

    private static string? NamespaceOf(ResourceType type, IKubernetesObject<V1ObjectMeta> obj) =>
        type.Namespaced ? obj.Metadata?.NamespaceProperty ?? "" : null;

    private static JsonObject ToJson(ResourceType type, IKubernetesObject<V1ObjectMeta> obj) =>
        WithTypeMeta(type, KubeModels.ToJsonObject(obj));

    // Models built in code often leave apiVersion/kind empty; the HTTP path would refuse them.
    private static JsonObject WithTypeMeta(ResourceType type, JsonObject obj)
    {
        if (string.IsNullOrEmpty(KubeObject.ApiVersion(obj))) obj["apiVersion"] = type.ApiVersion;
        if (string.IsNullOrEmpty(KubeObject.Kind(obj))) obj["kind"] = type.Kind;
        return obj;
    }

    private static ApiResult<T> Typed<T>(RestResult result) where T : class =>
        result.IsError ? ApiResult<T>.Fail(result.Error!) : new ApiResult<T>(result.Body!.Utf8);

    private static StoreResult Json(RestResult result) => new(result.Body, result.Error);
}
