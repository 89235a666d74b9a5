using System.Net;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Node.Agent;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Akka.KubeEmu.Host.Chaos.Experiments;

/// <summary>
/// What an experiment sees of the cluster, through the official client (as any user program
/// would): conditions evaluated against the API, the Nodes a process hosts, the uids of objects.
/// </summary>
public sealed class ClusterView(IKubernetes client) : IDisposable
{
    public static ClusterView ForStateDir(string stateDir) =>
        new(new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Path.Combine(stateDir, "kubeconfig"))));

    public void Dispose() => client.Dispose();

    /// <summary>The Nodes whose kubelet runs in the process at <paramref name="akkaAddress"/>.</summary>
    public async Task<IReadOnlyList<V1Node>> NodesOf(string akkaAddress) =>
        (await Call(() => client.CoreV1.ListNodeAsync())).Items
            .Where(n => n.Metadata.Annotations is { } a && a.TryGetValue(NodeObject.AkkaAddressAnnotation, out var address) && address == akkaAddress).ToList();

    public async Task<IList<V1Pod>> Pods(string? ns = null, string? selector = null) =>
        (await Call(() => ns is null ? client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: selector) : client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector))).Items;

    /// <summary>The Node hosting the most pods of <paramref name="selector"/> (in any namespace), the first by name on a tie.</summary>
    public async Task<string?> NodeWithMostPods(string selector) =>
        (await Pods(null, selector)).Where(p => !string.IsNullOrEmpty(p.Spec.NodeName) && p.Metadata.DeletionTimestamp is null)
            .GroupBy(p => p.Spec.NodeName).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault();

    /// <summary>The uid of an object, or null when it does not exist.</summary>
    public async Task<string?> Uid(ObjectRef o)
    {
        var type = ResourceCatalog.FindByKind(o.ApiVersion, o.Kind) ?? throw new ExperimentException($"{o}: a kind this cluster does not serve");
        using var generic = new GenericClient(client, type.Group, type.Version, type.Plural, disposeClient: false);
        try
        {
            var meta = await Call(() => type.Namespaced
                ? generic.ReadNamespacedAsync<MetadataOnly>(o.Namespace, o.Name)
                : generic.ReadAsync<MetadataOnly>(o.Name));
            return meta.Metadata?.Uid;
        }
        catch (NotFound)
        {
            return null;
        }
    }

    /// <param name="victimNodes">The Nodes `node/victim` stands for.</param>
    public async Task<(bool Held, string Observed)> Evaluate(Condition c, IReadOnlyList<string> victimNodes)
    {
        try
        {
            return c.Subject switch
            {
                ConditionSubject.Node => await EvaluateNode(c, victimNodes),
                ConditionSubject.Pods => Counted(c, PodField(await Pods(c.Namespace, c.Kind == "pods" ? c.Name : null), c.Field)),
                _ => Counted(c, await WorkloadField(c)),
            };
        }
        catch (NotFound)
        {
            return (false, "not found");
        }
    }

    private static (bool, string) Counted(Condition c, long actual) => (c.Compare(actual), $"{c.Field} {actual}");

    private async Task<(bool, string)> EvaluateNode(Condition c, IReadOnlyList<string> victimNodes)
    {
        var names = c.Name == "victim" ? victimNodes : [c.Name];
        if (names.Count == 0) return (false, "no victim yet");
        var observed = new List<string>();
        var held = true;
        foreach (var name in names)
        {
            var node = await Call(() => client.CoreV1.ReadNodeAsync(name));
            var ready = node.Status?.Conditions?.FirstOrDefault(x => x.Type == "Ready")?.Status ?? "Unknown";
            observed.Add($"{name} Ready={ready}");
            held &= c.Expected == "NotTrue" ? ready != "True" : ready == c.Expected;
        }
        return (held, string.Join(", ", observed));
    }

    private static long PodField(IList<V1Pod> pods, string field) => field switch
    {
        "running" => pods.Count(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase == "Running"),
        "ready" => pods.Count(p => p.Metadata.DeletionTimestamp is null && p.Status?.Conditions?.Any(x => x.Type == "Ready" && x.Status == "True") == true),
        "pending" => pods.Count(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase == "Pending"),
        "terminating" => pods.Count(p => p.Metadata.DeletionTimestamp is not null),
        _ => pods.Count(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed")),
    };

    private async Task<long> WorkloadField(Condition c)
    {
        switch (c.Kind)
        {
            case "deployment":
            {
                var d = await Call(() => client.AppsV1.ReadNamespacedDeploymentAsync(c.Name, c.Namespace));
                return c.Field switch
                {
                    "replicas" => d.Status?.Replicas ?? 0, "ready" => d.Status?.ReadyReplicas ?? 0, "updated" => d.Status?.UpdatedReplicas ?? 0,
                    "unavailable" => d.Status?.UnavailableReplicas ?? 0, _ => d.Status?.AvailableReplicas ?? 0,
                };
            }
            case "statefulset":
            {
                var s = await Call(() => client.AppsV1.ReadNamespacedStatefulSetAsync(c.Name, c.Namespace));
                return c.Field switch
                {
                    "replicas" => s.Status?.Replicas ?? 0, "ready" => s.Status?.ReadyReplicas ?? 0, "current" => s.Status?.CurrentReplicas ?? 0,
                    "updated" => s.Status?.UpdatedReplicas ?? 0, _ => s.Status?.AvailableReplicas ?? 0,
                };
            }
            case "daemonset":
            {
                var s = await Call(() => client.AppsV1.ReadNamespacedDaemonSetAsync(c.Name, c.Namespace));
                return c.Field switch
                {
                    "desired" => s.Status?.DesiredNumberScheduled ?? 0, "current" => s.Status?.CurrentNumberScheduled ?? 0, "ready" => s.Status?.NumberReady ?? 0,
                    "updated" => s.Status?.UpdatedNumberScheduled ?? 0, "misscheduled" => s.Status?.NumberMisscheduled ?? 0, _ => s.Status?.NumberAvailable ?? 0,
                };
            }
            case "replicaset":
            {
                var s = await Call(() => client.AppsV1.ReadNamespacedReplicaSetAsync(c.Name, c.Namespace));
                return c.Field switch { "replicas" => s.Status?.Replicas ?? 0, "ready" => s.Status?.ReadyReplicas ?? 0, _ => s.Status?.AvailableReplicas ?? 0 };
            }
            default:
            {
                var j = await Call(() => client.BatchV1.ReadNamespacedJobAsync(c.Name, c.Namespace));
                return c.Field switch
                {
                    "active" => j.Status?.Active ?? 0, "ready" => j.Status?.Ready ?? 0, "failed" => j.Status?.Failed ?? 0, _ => j.Status?.Succeeded ?? 0,
                };
            }
        }
    }

    /// <summary>A 404 becomes <see cref="NotFound"/>; an API server that does not answer, <see cref="ApiUnavailable"/>.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new NotFound();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or HttpOperationException { Response.StatusCode: >= HttpStatusCode.InternalServerError })
        {
            throw new ApiUnavailable(e.Message);
        }
    }

    private sealed class NotFound : Exception;
}

/// <summary>An object read for its metadata only (the other fields are not decoded).</summary>
public sealed class MetadataOnly : IKubernetesObject<V1ObjectMeta>
{
    [System.Text.Json.Serialization.JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [System.Text.Json.Serialization.JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [System.Text.Json.Serialization.JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
}

/// <summary>The API server did not answer (a control plane killed or frozen by the experiment).</summary>
public sealed class ApiUnavailable(string message) : Exception(message);

/// <summary>An object an experiment applied.</summary>
public sealed record ObjectRef(string ApiVersion, string Kind, string Namespace, string Name)
{
    public override string ToString() => Namespace.Length == 0 ? $"{Kind}/{Name}" : $"{Kind}/{Name} -n {Namespace}";
}
