using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.Shared;
using Akka.KubeEmu.Actors.Resources;

namespace Akka.KubeEmu.Actors.Node.Pods;

/// <summary>One container of the pod spec, parsed once.</summary>
public sealed class ContainerModel
{
    public required string Name { get; init; }
    public required string Image { get; init; }
    public required IReadOnlyList<string> Command { get; init; }
    public required IReadOnlyList<string> Args { get; init; }
    public required string PullPolicy { get; init; }
    public bool Stdin { get; init; }

    /// <summary>stdinOnce: the container's stdin closes when the first attached client closes its own (kubectl run -i).</summary>
    public bool StdinOnce { get; init; }

    /// <summary>tty: the container's stdout is a terminal (kubectl run -t).</summary>
    public bool Tty { get; init; }

    public bool IsInit { get; init; }

    /// <summary>An ephemeral container (kubectl debug): never restarted, never counted for readiness.</summary>
    public bool IsEphemeral { get; init; }

    /// <summary>An ephemeral container's targetContainerName: it joins that container's PID namespace.</summary>
    public string? TargetContainerName { get; init; }

    /// <summary>An init container with restartPolicy Always: a sidecar that keeps running.</summary>
    public bool Restartable { get; init; }

    public long? MemoryLimitBytes { get; init; }
    public long CpuRequestMillis { get; init; }
    public long MemoryRequestBytes { get; init; }
    public ProbeModel? Readiness { get; init; }
    public ProbeModel? Liveness { get; init; }
    public ProbeModel? Startup { get; init; }
    public Lifecycle.LifecycleHookModel? PostStart { get; init; }
    public Lifecycle.LifecycleHookModel? PreStop { get; init; }

    /// <summary>Where the container writes its termination message (default /dev/termination-log).</summary>
    public string TerminationMessagePath { get; init; } = "/dev/termination-log";

    /// <summary>File, or FallbackToLogsOnError: the log's tail when the file is empty and the container failed.</summary>
    public string TerminationMessagePolicy { get; init; } = "File";

    /// <summary>env, in order (later entries may refer to earlier ones as $(NAME)).</summary>
    public IReadOnlyList<EnvVarModel> Env { get; init; } = [];

    /// <summary>envFrom, in order (later sources and env entries win).</summary>
    public IReadOnlyList<EnvFromModel> EnvFrom { get; init; } = [];

    /// <summary>volumeMounts: volume name, mountPath, subPath.</summary>
    public IReadOnlyList<VolumeMountModel> Mounts { get; init; } = [];

    /// <summary>resources.limits and resources.requests as written (quantities), for resourceFieldRef.</summary>
    public IReadOnlyDictionary<string, string> Limits { get; init; } = EmptyMap;

    public IReadOnlyDictionary<string, string> Requests { get; init; } = EmptyMap;

    private static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>();

    /// <summary>ports: containerPort and its name (for probes naming a port).</summary>
    public IReadOnlyList<(int Port, string? Name)> Ports { get; init; } = [];

    /// <summary>The event fieldPath, e.g. "spec.containers{nginx}".</summary>
    public string FieldPath => IsEphemeral ? $"spec.ephemeralContainers{{{Name}}}"
        : IsInit ? $"spec.initContainers{{{Name}}}" : $"spec.containers{{{Name}}}";

    public static ContainerModel Parse(JsonObject c, bool isInit)
    {
        var image = KubeObject.String(c, "image") ?? "";
        var limits = KubeObject.At(c, "resources.limits");
        var requests = KubeObject.At(c, "resources.requests");
        // A request missing where a limit is set defaults to the limit (as API defaulting does).
        string? Request(string name) => KubeObject.String(requests, name) ?? KubeObject.String(limits, name);
        return new ContainerModel
        {
            Name = KubeObject.String(c, "name") ?? "",
            Image = image,
            Command = Strings(c["command"]),
            Args = Strings(c["args"]),
            PullPolicy = KubeObject.String(c, "imagePullPolicy") ?? ImageReference.DefaultPullPolicy(image),
            Stdin = c["stdin"] is JsonValue s && s.TryGetValue<bool>(out var stdin) && stdin,
            StdinOnce = c["stdinOnce"] is JsonValue once && once.TryGetValue<bool>(out var stdinOnce) && stdinOnce,
            Tty = c["tty"] is JsonValue t && t.TryGetValue<bool>(out var tty) && tty,
            IsInit = isInit,
            Restartable = isInit && KubeObject.String(c, "restartPolicy") == "Always",
            MemoryLimitBytes = Quantities.Value(KubeObject.String(limits, "memory")),
            CpuRequestMillis = Quantities.MilliValue(Request("cpu")) ?? 0,
            MemoryRequestBytes = Quantities.Value(Request("memory")) ?? 0,
            Readiness = ProbeModel.Parse(c["readinessProbe"]),
            Liveness = ProbeModel.Parse(c["livenessProbe"]),
            Startup = ProbeModel.Parse(c["startupProbe"]),
            PostStart = Lifecycle.LifecycleHookModel.Parse(KubeObject.At(c, "lifecycle.postStart")),
            PreStop = Lifecycle.LifecycleHookModel.Parse(KubeObject.At(c, "lifecycle.preStop")),
            TerminationMessagePath = KubeObject.String(c, "terminationMessagePath") is { Length: > 0 } path ? path : "/dev/termination-log",
            TerminationMessagePolicy = KubeObject.String(c, "terminationMessagePolicy") ?? "File",
            Env = c["env"] is JsonArray env ? env.OfType<JsonObject>().Select(EnvVarModel.Parse).ToArray() : [],
            EnvFrom = c["envFrom"] is JsonArray envFrom ? envFrom.OfType<JsonObject>().Select(EnvFromModel.Parse).OfType<EnvFromModel>().ToArray() : [],
            Mounts = c["volumeMounts"] is JsonArray mounts
                ? mounts.OfType<JsonObject>().Select(VolumeMountModel.Parse).Where(m => m.MountPath.Length > 0).ToArray()
                : [],
            Limits = Scalars(limits),
            Requests = Scalars(requests),
            Ports = c["ports"] is JsonArray ports
                ? ports.OfType<JsonObject>().Select(p => (p["containerPort"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0, KubeObject.String(p, "name"))).Where(p => p.Item1 > 0).ToArray()
                : [],
        };
    }

    public static ContainerModel ParseEphemeral(JsonObject c)
    {
        var parsed = Parse(c, false);
        return new ContainerModel
        {
            Name = parsed.Name, Image = parsed.Image, Command = parsed.Command, Args = parsed.Args, PullPolicy = parsed.PullPolicy,
            Stdin = parsed.Stdin, StdinOnce = parsed.StdinOnce, Tty = parsed.Tty, IsEphemeral = true, TargetContainerName = KubeObject.String(c, "targetContainerName"),
            TerminationMessagePath = parsed.TerminationMessagePath, TerminationMessagePolicy = parsed.TerminationMessagePolicy,
            Env = parsed.Env, EnvFrom = parsed.EnvFrom, Mounts = parsed.Mounts,
        };
    }

    /// <summary>A map of scalars as text (a quantity may be written as a number); shared and empty when there is none.</summary>
    internal static IReadOnlyDictionary<string, string> Scalars(JsonNode? node)
    {
        if (node is not JsonObject { Count: > 0 } o) return EmptyMap;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in o)
            if (KubeObject.ScalarText(v) is { } text) map[k] = text;
        return map;
    }

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(KubeObject.ScalarText).Select(s => s ?? "").ToArray() : [];
}

/// <summary>
/// What the kubelet needs of a pod spec, parsed once per pod version. The JSON itself is not
/// kept: 150,000 pods must stay compact.
/// </summary>
public sealed class PodModel
{
    public required string Uid { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required long ResourceVersion { get; init; }
    public required string RestartPolicy { get; init; }
    public required long TerminationGracePeriodSeconds { get; init; }
    public required IReadOnlyList<ContainerModel> InitContainers { get; init; }
    public required IReadOnlyList<ContainerModel> Containers { get; init; }

    /// <summary>spec.ephemeralContainers: only ever appended to (the pods/ephemeralcontainers subresource).</summary>
    public IReadOnlyList<ContainerModel> EphemeralContainers { get; init; } = [];

    public required PodAnnotations Annotations { get; init; }

    /// <summary>spec.enableServiceLinks (default true): the namespace's Services as environment variables.</summary>
    public bool EnableServiceLinks { get; init; } = true;

    /// <summary>spec.hostname, else the pod's name: what `hostname` prints in its containers.</summary>
    public string Hostname { get; init; } = "";

    /// <summary>spec.shareProcessNamespace: `ps` in one container lists the others' processes (and the sandbox's pause).</summary>
    public bool ShareProcessNamespace { get; init; }

    public string NodeName { get; init; } = "";

    public string ServiceAccountName { get; init; } = "default";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>metadata.annotations as written (the kubeemu.io ones are read through <see cref="Annotations"/>).</summary>
    public IReadOnlyDictionary<string, string> AnnotationMap { get; init; } = new Dictionary<string, string>();

    /// <summary>spec.volumes, parsed for the kubelet's volume plugins.</summary>
    public IReadOnlyList<Volumes.VolumeModel> Volumes { get; init; } = [];

    /// <summary>metadata.deletionTimestamp is set: the pod is being deleted.</summary>
    public bool Deleting { get; init; }

    public long? DeletionGracePeriodSeconds { get; init; }

    /// <summary>spec.activeDeadlineSeconds: how long after its start the kubelet lets the pod be active.</summary>
    public long? ActiveDeadlineSeconds { get; init; }

    public string? Phase { get; init; }

    public bool IsTerminal => Phase is "Succeeded" or "Failed";

    /// <summary>format.Pod: "name_namespace(uid)", as kubelet messages name a pod.</summary>
    public string Formatted => $"{Name}_{Namespace}({Uid})";

    public IEnumerable<ContainerModel> All => InitContainers.Concat(Containers);

    /// <summary>What the pod asks of the node (the scheduler's calculation: sidecars, init containers, overhead).</summary>
    public required ResourceRequests Requests { get; init; }

    public static PodModel Parse(JsonObject pod)
    {
        var spec = pod["spec"] as JsonObject ?? new JsonObject();
        var meta = pod["metadata"] as JsonObject ?? new JsonObject();
        return new PodModel
        {
            Uid = KubeObject.Uid(pod) ?? "",
            Namespace = KubeObject.Namespace(pod),
            Name = KubeObject.Name(pod),
            ResourceVersion = long.TryParse(KubeObject.ResourceVersion(pod), out var rv) ? rv : 0,
            RestartPolicy = KubeObject.String(spec, "restartPolicy") ?? "Always",
            TerminationGracePeriodSeconds = Long(spec["terminationGracePeriodSeconds"]) ?? 30,
            InitContainers = ParseContainers(spec["initContainers"], true),
            Containers = ParseContainers(spec["containers"], false),
            EphemeralContainers = spec["ephemeralContainers"] is JsonArray ephemeral
                ? ephemeral.OfType<JsonObject>().Select(c => ContainerModel.ParseEphemeral(c)).ToArray()
                : [],
            Annotations = new PodAnnotations(KubeObject.StringMap(meta["annotations"])),
            AnnotationMap = ContainerModel.Scalars(meta["annotations"]),
            Labels = ContainerModel.Scalars(meta["labels"]),
            Volumes = spec["volumes"] is JsonArray volumes ? volumes.OfType<JsonObject>().Select(Node.Volumes.VolumeModel.Parse).ToArray() : [],
            EnableServiceLinks = spec["enableServiceLinks"] is not JsonValue links || !links.TryGetValue<bool>(out var enabled) || enabled,
            ShareProcessNamespace = spec["shareProcessNamespace"] is JsonValue share && share.TryGetValue<bool>(out var shared) && shared,
            Deleting = meta["deletionTimestamp"] is not null,
            DeletionGracePeriodSeconds = Long(meta["deletionGracePeriodSeconds"]),
            ActiveDeadlineSeconds = Long(spec["activeDeadlineSeconds"]),
            Phase = KubeObject.ScalarAt(pod, "status.phase"),
            Requests = PodRequests.Of(spec),
            Hostname = KubeObject.String(spec, "hostname") ?? KubeObject.Name(pod),
            NodeName = KubeObject.String(spec, "nodeName") ?? "",
            ServiceAccountName = KubeObject.String(spec, "serviceAccountName") ?? "default",
        };
    }

    private static IReadOnlyList<ContainerModel> ParseContainers(JsonNode? node, bool init) =>
        node is JsonArray a ? a.OfType<JsonObject>().Select(c => ContainerModel.Parse(c, init)).ToArray() : [];

    private static long? Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;
}
