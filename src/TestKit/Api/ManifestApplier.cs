using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Akka.KubeEmu.TestKit.Api;

/// <summary>
/// Applies multi-document YAML, typed through KubernetesClient's YAML loader: each object is
/// created, or, when it exists (409), replaced with the manifest as it stands. That is
/// create-or-replace, not kubectl's three-way merge: fields the manifest leaves out are reset
/// on a replace, which is what a test that re-applies a whole manifest wants.
/// </summary>
internal sealed class ManifestApplier(IKubernetes client, ResourceKinds kinds)
{
    private const string FieldManager = "kubeemu-testkit";
    private const int ReplaceAttempts = 5;

    public async Task<IReadOnlyList<AppliedObject>> Apply(string yaml, string defaultNamespace, CancellationToken ct)
    {
        var applied = new List<AppliedObject>();
        foreach (var document in KubernetesYaml.LoadAllFromString(yaml))
        {
            if (document is null) continue; // an empty document, e.g. after a trailing ---
            if (document is not IKubernetesObject<V1ObjectMeta> { Metadata: not null } obj)
                throw new ArgumentException($"a {document.GetType().Name} in the manifest has no metadata");
            var kind = await kinds.Of(document.GetType(), ct);
            string? ns = null;
            if (kind.Namespaced) obj.Metadata.NamespaceProperty = ns = obj.Metadata.NamespaceProperty ?? defaultNamespace;
            applied.Add(await CreateOrReplace(obj, kind, ns, ct));
        }
        return applied;
    }

    private async Task<AppliedObject> CreateOrReplace(IKubernetesObject<V1ObjectMeta> obj, ResourceKind kind, string? ns, CancellationToken ct)
    {
        var what = kind.Describe(ns, obj.Metadata.Name ?? obj.Metadata.GenerateName + "*");
        try
        {
            var created = await Create(obj, kind, ns, ct);
            return new AppliedObject(kind.KubectlName, ns, created.GetProperty("metadata").GetProperty("name").GetString()!, Created: true);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && obj.Metadata.Name is not null)
        {
            // exists: replace it below
        }
        catch (HttpOperationException e)
        {
            throw Failed("creating", what, e);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // A replace must name the version it replaces; a controller may write (status) in between, hence the retries.
                var existing = await Read(kind, ns, obj.Metadata.Name, ct);
                obj.Metadata.ResourceVersion = existing.GetProperty("metadata").GetProperty("resourceVersion").GetString();
                await Replace(obj, kind, ns, ct);
                return new AppliedObject(kind.KubectlName, ns, obj.Metadata.Name, Created: false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < ReplaceAttempts)
            {
            }
            catch (HttpOperationException e)
            {
                throw Failed("replacing", what, e);
            }
        }
    }

    private Task<JsonElement> Create(object obj, ResourceKind k, string? ns, CancellationToken ct) => ns is null
        ? client.CustomObjects.CreateClusterCustomObjectAsync<JsonElement>(obj, k.Group, k.Version, k.Plural, fieldManager: FieldManager, cancellationToken: ct)
        : client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(obj, k.Group, k.Version, ns, k.Plural, fieldManager: FieldManager, cancellationToken: ct);

    private Task<JsonElement> Read(ResourceKind k, string? ns, string name, CancellationToken ct) => ns is null
        ? client.CustomObjects.GetClusterCustomObjectAsync<JsonElement>(k.Group, k.Version, k.Plural, name, ct)
        : client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(k.Group, k.Version, ns, k.Plural, name, ct);

    private Task<JsonElement> Replace(IKubernetesObject<V1ObjectMeta> obj, ResourceKind k, string? ns, CancellationToken ct) => ns is null
        ? client.CustomObjects.ReplaceClusterCustomObjectAsync<JsonElement>(obj, k.Group, k.Version, k.Plural, obj.Metadata.Name, fieldManager: FieldManager, cancellationToken: ct)
        : client.CustomObjects.ReplaceNamespacedCustomObjectAsync<JsonElement>(obj, k.Group, k.Version, ns, k.Plural, obj.Metadata.Name, fieldManager: FieldManager, cancellationToken: ct);

    // The client's own message names only the status code; the API's Status says what was wrong.
    private static InvalidOperationException Failed(string verb, string what, HttpOperationException e) =>
        new($"{verb} {what} failed: {(int)e.Response.StatusCode} {e.Response.StatusCode}: {e.Response.Content}", e);
}
