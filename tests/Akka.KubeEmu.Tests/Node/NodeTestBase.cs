using System.Diagnostics;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Configuration;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Node;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Tests.Support;
using Akka.TestKit;
using k8s;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

/// <summary>
/// A real StoreActor (SQLite) and node actors in virtual time: Akka's TestScheduler and a
/// FakeTimeProvider move together, so a 30-second grace period or a CrashLoopBackOff takes
/// milliseconds. Assertions poll the Store while time advances in small steps.
/// </summary>
public abstract class NodeTestBase : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Config VirtualScheduler =
        ConfigurationFactory.ParseString("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"");

    private readonly TempDir _dir;

    protected NodeTestBase() : this(new TempDir()) { }

    private NodeTestBase(TempDir dir) : base(TestConfigs.LocalWithStore(dir.Path, VirtualScheduler), "kubeemu")
    {
        _dir = dir;
        Store = Sys.ActorOf(StoreActor.Props(new StoreSettings(), Time), "store");
        Client = new StoreClient(Store, TimeSpan.FromSeconds(10));
        foreach (var ns in (string[])["default", "kube-node-lease"]) CreateNamespace(ns);
    }

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    protected TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    protected IActorRef Store { get; }

    protected StoreClient Client { get; }

    /// <summary>The fast profile; KUBEEMU_TEST_PROFILE=kubernetes runs the specs with the real defaults.</summary>
    protected TimingProfile Timing { get; set; } = Environment.GetEnvironmentVariable("KUBEEMU_TEST_PROFILE") is { Length: > 0 } profile
        ? TimingProfile.From(ConfigurationFactory.ParseString(File.ReadAllText(RepoFile($"config/profiles/{profile}.conf"))))
        : TimingProfile.Fast;

    protected static readonly ImageCatalog Catalog = ImageCatalog.Load(File.ReadAllText(RepoFile("config/images.yaml")));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _dir.Dispose();
    }

    public static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Akka.KubeEmu.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }

    protected NodeHostSettings Settings(params string[] nodes) => new(
        Store, nodes.Select(NodeSpec.For).ToArray(), NodeCapacity.Default, Timing, Time, "akka.tcp://kubeemu@127.0.0.1:4711", Catalog);

    protected IActorRef StartNodes(params string[] nodes) =>
        Sys.ActorOf(NodeHost.Props(Settings(nodes.Length == 0 ? ["node-1"] : nodes)));

    /// <summary>Moves virtual time: the clock first, so that timers firing see their due time.</summary>
    protected void Advance(TimeSpan by)
    {
        Time.Advance(by);
        Scheduler.Advance(by);
    }

    /// <summary>
    /// Polls <paramref name="probe"/> while virtual time advances in <paramref name="step"/>s up to
    /// <paramref name="within"/> (<see cref="VirtualTimeWait"/>).
    /// </summary>
    protected T Eventually<T>(Func<T?> probe, TimeSpan within, string what, TimeSpan? step = null) where T : class =>
        VirtualTimeWait.Until(probe, Advance, within, step ?? TimeSpan.FromMilliseconds(50), what);

    protected bool Eventually(Func<bool> condition, TimeSpan within, string what, TimeSpan? step = null) =>
        Eventually(() => condition() ? "ok" : null, within, what, step) is not null;

    protected JsonObject? Get(string resource, string ns, string name)
    {
        var r = Client.Get(resource, ns, name).GetAwaiter().GetResult();
        return r.Ok ? r.Object : null;
    }

    protected JsonObject? Pod(string name, string ns = "default") => Get("pods", ns, name);

    protected IReadOnlyList<JsonObject> List(string resource, string? ns = null, string? fieldSelector = null)
    {
        var (list, error) = Client.List(new ListObjects(resource, ns, FieldSelector: fieldSelector)).GetAwaiter().GetResult();
        if (list is null) throw new Xunit.Sdk.XunitException($"list {resource} failed: {error}");
        return list.Items.Select(i => KubeObject.Parse(i.Utf8)).ToArray();
    }

    protected IReadOnlyList<JsonObject> EventsAbout(string name, string? ns = null) =>
        List("events", ns).Where(e => KubeObject.ScalarAt(e, "involvedObject.name") == name)
            .OrderBy(e => long.Parse(KubeObject.ResourceVersion(e)!)).ToArray();

    protected static IEnumerable<string> Reasons(IEnumerable<JsonObject> events) => events.Select(e => KubeObject.String(e, "reason") ?? "");

    /// <summary>Waits for a Store call made outside actors (the specs are synchronous, like TestKit).</summary>
    protected static T Await<T>(Task<T> call) => call.GetAwaiter().GetResult();

    protected void DeletePod(string name, long? gracePeriodSeconds = null, string ns = "default")
    {
        var r = Await(Client.Delete("pods", ns, name, gracePeriodSeconds));
        if (!r.Ok) throw new Xunit.Sdk.XunitException($"delete pod {name} failed: {r.Error}");
    }

    protected JsonObject Create(string resource, JsonObject obj)
    {
        var r = Client.Create(resource, obj).GetAwaiter().GetResult();
        if (!r.Ok) throw new Xunit.Sdk.XunitException($"create {resource} failed: {r.Error}");
        return r.Object;
    }

    protected void CreateNamespace(string name)
    {
        var r = Client.Create("namespaces", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        }).GetAwaiter().GetResult();
        if (!r.Ok && r.Error?.Code != 409) throw new Xunit.Sdk.XunitException($"namespace {name}: {r.Error}");
    }

    /// <summary>A pod bound to <paramref name="node"/>, as after the scheduler's Binding.</summary>
    protected JsonObject CreatePod(string name, JsonArray containers, string node = "node-1", string ns = "default",
        string? restartPolicy = null, JsonObject? annotations = null, JsonArray? initContainers = null, long? grace = null)
    {
        var spec = new JsonObject { ["nodeName"] = node, ["containers"] = containers };
        if (initContainers is not null) spec["initContainers"] = initContainers;
        if (restartPolicy is not null) spec["restartPolicy"] = restartPolicy;
        if (grace is not null) spec["terminationGracePeriodSeconds"] = grace;
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (annotations is not null) meta["annotations"] = annotations;
        return Create("pods", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = meta, ["spec"] = spec });
    }

    protected static JsonObject Container(string name, string image, string[]? command = null, string[]? args = null)
    {
        var c = new JsonObject { ["name"] = name, ["image"] = image };
        if (command is not null) c["command"] = new JsonArray(command.Select(s => (JsonNode)s).ToArray());
        if (args is not null) c["args"] = new JsonArray(args.Select(s => (JsonNode)s).ToArray());
        return c;
    }

    /// <summary>An exec handler (a probe's or a lifecycle hook's): <c>{"exec": {"command": [...]}}</c>.</summary>
    protected static JsonObject Exec(params string[] command) =>
        new() { ["exec"] = new JsonObject { ["command"] = new JsonArray(command.Select(c => (JsonNode)c).ToArray()) } };

    /// <summary>The objects of a manifest file (YAML, several documents) as Kubernetes JSON.</summary>
    protected static IReadOnlyList<JsonObject> Manifest(string path) =>
        KubernetesYaml.LoadAllFromString(File.ReadAllText(path))
            .Select(o => KubeObject.Parse(System.Text.Encoding.UTF8.GetBytes(KubernetesJson.Serialize(o)))).ToArray();

    protected static string? State(JsonObject? pod, string container, string path)
    {
        var status = (KubeObject.At(pod, "status.containerStatuses") as JsonArray)?.OfType<JsonObject>()
            .Concat((KubeObject.At(pod, "status.initContainerStatuses") as JsonArray)?.OfType<JsonObject>() ?? [])
            .FirstOrDefault(s => KubeObject.String(s, "name") == container);
        return KubeObject.ScalarAt(status, path);
    }

    protected static string? Condition(JsonObject? pod, string type, string field = "status") =>
        KubeObject.ScalarText((KubeObject.At(pod, "status.conditions") as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => KubeObject.String(c, "type") == type)?[field]);
}
