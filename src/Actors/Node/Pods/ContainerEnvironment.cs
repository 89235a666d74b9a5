using System.Text;
using Akka.KubeEmu.Actors.Node.ConfigObjects;
using Akka.KubeEmu.Actors.Node.Services;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Node.Pods;

/// <summary>
/// The environment a container's process starts with, as the kubelet's makeEnvironmentVariables and
/// the image make it: the image's PATH and HOME, HOSTNAME, then envFrom (ConfigMaps and Secrets, with
/// their prefix), then env in order (a value with $(NAME) references to earlier entries and to the
/// Services' variables expanded; valueFrom fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef
/// resolved), then the Services' variables the container did not set itself.
/// </summary>
public static class ContainerEnvironment
{
    /// <summary>What the container starts with, or why it cannot start (CreateContainerConfigError).</summary>
    /// <param name="Waiting">A ConfigMap or Secret the node has not finished listing yet: try again shortly.</param>
    public sealed record Result(Dictionary<string, string>? Env, string? Error, bool Waiting = false);

    /// <summary>The environment, ConfigMaps and Secrets being unknown (as to a node without them).</summary>
    public static Dictionary<string, string> For(PodModel pod, ContainerModel container, string? podIp, string hostIp,
        IReadOnlyList<KeyValuePair<string, string>> services) =>
        Resolve(pod, container, podIp, hostIp, services, ConfigObjectCache.Empty, NodeCapacity.Default).Env ?? [];

    /// <param name="services">The Services' variables the kubelet computed when the container started; none known: the kubernetes Service's defaults.</param>
    public static Result Resolve(PodModel pod, ContainerModel container, string? podIp, string hostIp,
        IReadOnlyList<KeyValuePair<string, string>> services, ConfigObjectCache objects, NodeCapacity node)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOSTNAME"] = pod.Hostname,
            ["HOME"] = "/root",
        };
        var serviceEnv = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in services.Count > 0 ? services : KubernetesServiceDefaults) serviceEnv[name] = value;

        // tmpEnv in the kubelet: what the container declares, envFrom first.
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var from in container.EnvFrom)
        {
            var found = objects.Get(from.Kind, pod.Namespace, from.Name);
            if (found.State == Lookup.NotSynced) return new Result(null, null, Waiting: true);
            if (found.Object is not { } obj)
            {
                if (from.Optional) continue;
                return new Result(null, ConfigObject.NotFound(from.Kind, from.Name));
            }
            foreach (var (key, value) in obj.DataForEnv) declared[from.Prefix + key] = value;
        }

        var lookup = new ChainedLookup(declared, serviceEnv);
        foreach (var e in container.Env)
        {
            if (e.Name.Length == 0) continue;
            string? value;
            if (!string.IsNullOrEmpty(e.Value)) value = Expand(e.Value, lookup);
            else if (e.FieldPath is { } field)
            {
                value = DownwardApi.FieldValue(pod, field, podIp, hostIp);
                if (value is null) return new Result(null, $"unsupported fieldPath: {field}");
            }
            else if (e.ResourceField is { } resource)
            {
                var target = string.IsNullOrEmpty(resource.ContainerName) ? container
                    : pod.All.FirstOrDefault(c => c.Name == resource.ContainerName);
                if (target is null) return new Result(null, $"container {resource.ContainerName} not found");
                var (v, error) = DownwardApi.ResourceValue(target, resource, node);
                if (error is not null) return new Result(null, error);
                value = v;
            }
            else if (e.KeyRef is { } keyRef)
            {
                var found = objects.Get(keyRef.Kind, pod.Namespace, keyRef.Name);
                if (found.State == Lookup.NotSynced) return new Result(null, null, Waiting: true);
                if (found.Object is not { } obj)
                {
                    if (keyRef.Optional) continue;
                    return new Result(null, ConfigObject.NotFound(keyRef.Kind, keyRef.Name));
                }
                if (!obj.DataForEnv.TryGetValue(keyRef.Key, out value))
                {
                    if (keyRef.Optional) continue;
                    var kind = keyRef.Kind == ConfigKind.ConfigMap ? "ConfigMap" : "Secret";
                    return new Result(null, $"couldn't find key {keyRef.Key} in {kind} {pod.Namespace}/{keyRef.Name}");
                }
            }
            else value = "";
            declared[e.Name] = value ?? "";
        }
        foreach (var (name, value) in declared) env[name] = value;
        foreach (var (name, value) in serviceEnv) env.TryAdd(name, value);
        return new Result(env, null);
    }

    /// <summary>
    /// The variables of the kubernetes Service as every cluster starts with it (first IP of the
    /// default service range, https on 443), for a node that has not seen the Services yet.
    /// </summary>
    private static readonly KeyValuePair<string, string>[] KubernetesServiceDefaults = ServiceEnvVars.FromService(new V1Service
    {
        Metadata = new V1ObjectMeta { Name = "kubernetes", NamespaceProperty = "default" },
        Spec = new V1ServiceSpec { ClusterIP = "10.96.0.1", Ports = [new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP" }] },
    }).ToArray();

    /// <summary>The container's command and args with $(NAME) expanded from its env.</summary>
    public static IReadOnlyList<string> ExpandAll(IReadOnlyList<string> words, IReadOnlyDictionary<string, string> env) =>
        words.Any(w => w.Contains("$(", StringComparison.Ordinal)) ? words.Select(w => Expand(w, env)).ToArray() : words;

    /// <summary>expansion.Expand: $(NAME) from the mapping (unknown: left as written), $$ escapes a dollar.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> env)
    {
        if (!text.Contains('$')) return text;
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
            {
                sb.Append(text[i]);
                continue;
            }
            if (text[i + 1] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }
            if (text[i + 1] == '(' && text.IndexOf(')', i + 2) is var close and > 0)
            {
                var name = text[(i + 2)..close];
                if (env.TryGetValue(name, out var value))
                {
                    sb.Append(value);
                    i = close;
                    continue;
                }
            }
            sb.Append('$');
        }
        return sb.ToString();
    }

    /// <summary>expansion.MappingFuncFor(tmpEnv, serviceEnv): the container's own variables first.</summary>
    private sealed class ChainedLookup(Dictionary<string, string> first, Dictionary<string, string> second) : IReadOnlyDictionary<string, string>
    {
        public bool TryGetValue(string key, out string value) =>
            first.TryGetValue(key, out value!) || second.TryGetValue(key, out value!);

        public string this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);
        public IEnumerable<string> Keys => first.Keys.Union(second.Keys);
        public IEnumerable<string> Values => Keys.Select(k => this[k]);
        public int Count => Keys.Count();
        public bool ContainsKey(string key) => first.ContainsKey(key) || second.ContainsKey(key);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Keys.Select(k => new KeyValuePair<string, string>(k, this[k])).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
