using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Deployment;
using Akka.KubeEmu.Actors.Controllers.Framework;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.History;

/// <summary>
/// pkg/controller/history: the ControllerRevisions in which StatefulSets and DaemonSets keep the
/// history of their pod template (what `kubectl rollout history|undo` read and apply). A revision
/// is named <c>&lt;owner&gt;-&lt;hash&gt;</c>, labelled with the template's labels plus
/// <see cref="HashLabel"/>, owned by its set, and numbered: the current template's revision is the
/// highest. Its data is the set's template as a strategic merge patch that replaces the template
/// (<see cref="TemplatePatch"/>), which is what kubectl applies to roll back.
/// </summary>
public static class ControllerHistory
{
    /// <summary>apps ControllerRevisionHashLabel on ControllerRevision objects.</summary>
    public const string HashLabel = "controller.kubernetes.io/hash";

    /// <summary>apps ControllerRevisionHashLabelKey: the revision a set's pod was created from.</summary>
    public const string PodRevisionLabel = "controller-revision-hash";

    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>ControllerRevisionName: the owner's name (at most 223 characters) and the hash.</summary>
    public static string RevisionName(string prefix, string hash) =>
        (prefix.Length > 223 ? prefix[..223] : prefix) + "-" + hash;

    /// <summary>
    /// HashControllerRevision: FNV-1 (32 bits; not 1a, unlike pod-template-hash) over the data, then
    /// the collision count's decimal digits, safe-encoded.
    /// </summary>
    public static string Hash(object? data, int? collisionCount)
    {
        var hash = Fnv1(FnvOffset, CanonicalJson.Of(data));
        if (collisionCount is { } probe) hash = Fnv1(hash, Encoding.ASCII.GetBytes(probe.ToString(CultureInfo.InvariantCulture)));
        return PodTemplateHash.SafeEncodeString(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// getPatch of the statefulset and daemonset controllers, {"spec":{"template":{..., "$patch":"replace"}}},
    /// written as Go's encoding/json writes the typed template through a map: keys sorted, the zero
    /// creationTimestamp as null, every container's resources as {}. kubectl rollout undo compares
    /// these bytes with its own encoding of the set to tell "skipped rollback" from "rolled back".
    /// </summary>
    public static JsonObject TemplatePatch(V1PodTemplateSpec template)
    {
        var node = KubeModels.ToJsonObject(template);
        if (node["metadata"] is not JsonObject metadata) node["metadata"] = metadata = new JsonObject();
        if (!metadata.ContainsKey("creationTimestamp")) metadata["creationTimestamp"] = null;
        foreach (var list in new[] { "initContainers", "containers" })
            foreach (var container in (node["spec"]?[list] as JsonArray)?.OfType<JsonObject>() ?? [])
                if (!container.ContainsKey("resources")) container["resources"] = new JsonObject();
        node["$patch"] = "replace";
        return (JsonObject)KeysSorted(new JsonObject { ["spec"] = new JsonObject { ["template"] = node } })!;
    }

    private static JsonNode? KeysSorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, KeysSorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(KeysSorted).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>The pod template a revision holds (its patch without the directive).</summary>
    public static V1PodTemplateSpec? TemplateOf(V1ControllerRevision revision)
    {
        if (JsonNode.Parse(CanonicalJson.Of(revision.Data))?["spec"]?["template"] is not JsonObject template) return null;
        template.Remove("$patch");
        return KubeModels.Decode<V1PodTemplateSpec>(template);
    }

    /// <summary>NewControllerRevision: named and labelled for its hash; the caller creates it with <see cref="Create"/>.</summary>
    public static V1ControllerRevision New(IKubernetesObject<V1ObjectMeta> parent, string apiVersion, string kind,
        IDictionary<string, string>? templateLabels, JsonObject data, long revision, int? collisionCount)
    {
        var hash = Hash(data, collisionCount);
        var labels = templateLabels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(templateLabels);
        labels[HashLabel] = hash;
        return new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = new V1ObjectMeta
            {
                Name = RevisionName(parent.Metadata.Name, hash),
                NamespaceProperty = parent.Metadata.NamespaceProperty,
                Labels = labels,
                OwnerReferences = [ControllerRefs.For(parent, apiVersion, kind)],
            },
            Data = data,
            Revision = revision,
        };
    }

    /// <summary>EqualRevision: the same data, whatever the order its maps were written in.</summary>
    public static bool Equal(V1ControllerRevision? a, V1ControllerRevision? b) =>
        a is null || b is null ? ReferenceEquals(a, b) : CanonicalJson.Of(a.Data).AsSpan().SequenceEqual(CanonicalJson.Of(b.Data));

    public static List<V1ControllerRevision> FindEqual(IEnumerable<V1ControllerRevision> revisions, V1ControllerRevision needle) =>
        revisions.Where(r => Equal(r, needle)).ToList();

    /// <summary>SortControllerRevisions: by revision number, then creation time, then name.</summary>
    public static List<V1ControllerRevision> Sorted(IEnumerable<V1ControllerRevision> revisions) =>
        revisions.OrderBy(r => r.Revision ?? 0)
            .ThenBy(r => r.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>The revision number after the highest of <paramref name="revisions"/> (1 for none).</summary>
    public static long Next(IEnumerable<V1ControllerRevision> revisions) =>
        revisions.Select(r => r.Revision ?? 0).DefaultIfEmpty(0).Max() + 1;

    /// <summary>
    /// realHistory.CreateControllerRevision: a name taken by a revision with other data is a hash
    /// collision, so the count goes up and the name is computed again; taken by equal data, the
    /// existing revision is the answer. Returns the revision and the collision count to store in
    /// the set's status.
    /// </summary>
    public static async Task<(V1ControllerRevision Revision, int CollisionCount)> Create(
        ApiClient api, IKubernetesObject<V1ObjectMeta> parent, V1ControllerRevision revision, int collisionCount)
    {
        while (true)
        {
            var hash = Hash(revision.Data, collisionCount);
            var candidate = KubeModels.Clone(revision);
            candidate.Metadata.Name = RevisionName(parent.Metadata.Name, hash);
            candidate.Metadata.Labels ??= new Dictionary<string, string>();
            candidate.Metadata.Labels[HashLabel] = hash;
            var created = await api.Create(candidate);
            if (!created.IsAlreadyExists) return (created.Object, collisionCount);
            var existing = (await api.Get<V1ControllerRevision>(parent.Metadata.NamespaceProperty, candidate.Metadata.Name)).Object;
            if (Equal(existing, candidate)) return (existing, collisionCount);
            collisionCount++;
        }
    }

    /// <summary>UpdateControllerRevision: give an existing revision a new number (it became current again).</summary>
    public static async Task<V1ControllerRevision> Renumber(ApiClient api, V1ControllerRevision revision, long number)
    {
        if (revision.Revision == number) return revision;
        var copy = KubeModels.Clone(revision);
        copy.Revision = number;
        return (await api.Update(copy)).Object;
    }

    private static uint Fnv1(uint hash, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            hash = unchecked(hash * FnvPrime);
            hash ^= b;
        }
        return hash;
    }
}
