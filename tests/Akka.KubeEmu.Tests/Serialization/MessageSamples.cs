using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Identity;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Tests.Serialization;

/// <summary>
/// One realistic instance of every cross-process message. A new IKubeEmuMessage type without
/// a sample here fails <see cref="SerializerSpecs"/>, so nothing crosses a process untested.
/// </summary>
public static class MessageSamples
{
    private static readonly RawJson Pod = RawJson.FromString(
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","resourceVersion":"7","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]},"status":{"phase":"Running"}}""");

    private static readonly ApiStatus Conflict = new(409, "Conflict", "Operation cannot be fulfilled",
        new StatusDetails("web", null, "pods", Causes: [new StatusCause("FieldValueInvalid", "bad", "spec.x")], RetryAfterSeconds: 1));

    public static IReadOnlyList<object> All { get; } =
    [
        new CreateObject("pods", Pod, DryRun: true),
        new UpdateObject("pods", Pod, "status"),
        new DeleteObject("pods", "default", "web", 30, "uid-1", "7", DryRun: false),
        new GetObject("pods", "default", "web"),
        new ListObjects("pods", "default", "app=web", "spec.nodeName=node-1", 500, "token"),
        new ListObjects("pods", null, Limit: 500, ResourceVersion: "42", ResourceVersionMatch: "Exact"),
        new ListObjects("resourcequotas", "default", Immediate: true),
        new CompactWindow(42),
        new CompactWindow(),
        new WindowCompacted(42),
        new StoreFailure(ApiStatus.ContinueExpired("eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTF9")),
        new WatchObjects("pods", "w-1", null, "app in (web)", "spec.nodeName=node-1", "42"),
        new CancelWatch("pods", "w-1"),
        new WatchAck("pods", "w-1", 2),
        new RequestWatchProgress("pods", "w-1"),
        new WatchProgress("w-1", "44"),
        new StoreObject(Pod),
        new StoreObject(Pod, Removed: true),
        new StoreList([Pod, Pod], "42", "next", 3),
        new StoreFailure(Conflict),
        new WatchAccepted("w-1", "42"),
        new WatchEvents("w-1", [new WatchEvent("ADDED", Pod), new WatchEvent("DELETED", Pod)]),
        new WatchEnded("w-1", Conflict),
        new ObjectStored("pods", Pod),
        new ObjectRemoved("pods", "default", "web", 43),
        new StoreSnapshot(43, [new SnapshotEntry("pods", Pod)]),
        new ObjectsCheckpointed([new SnapshotEntry("pods", Pod), new SnapshotEntry("pods", Pod)], Final: true),
        new StoreCheckpoint(43),
        new IdentityQuery("3f9a0c1d2e4b5a69", "node-1", "/home/me/.kubeemu"),
        new IdentityQuery(null, "node-7", "/srv/kubeemu"),
        new IdentityAnswer("3f9a0c1d2e4b5a69", "control-plane", "/home/me/.kubeemu"),
        new Akka.KubeEmu.Actors.Node.Logs.ContainerLogRequest("node-1", "6a1b", "default", "counter", "count", Previous: true, TailLines: 10,
            SinceTime: new DateTimeOffset(2026, 11, 22, 12, 0, 0, 123, TimeSpan.Zero), Timestamps: true, ContainerId: "c0ffee", FromSequence: 42),
        new Akka.KubeEmu.Actors.Node.Logs.ContainerLogRequest("node-1", "6a1b", "default", "counter", "count"),
        new Akka.KubeEmu.Actors.Node.Logs.ContainerLogAnswer("0: Tue Dec  1 12:00:00 UTC 2026\n1: héllo\n", "c0ffee", 2, false),
        new Akka.KubeEmu.Actors.Node.Logs.ContainerLogAnswer("", null, 0, true, "previous terminated container \"count\" in pod \"counter\" not found"),
        new Akka.KubeEmu.Actors.Node.Exec.ExecStart("9f1c", "node-1", "6a1b", "default", "web", "nginx", ["sh", "-c", "echo héllo; exit 3"], Stdin: true, Tty: false),
        new Akka.KubeEmu.Actors.Node.Exec.ExecStart("9f1d", "node-2", "7c2e", "default", "shell", "shell", [], Stdin: true, Tty: true, Attach: true),
        new Akka.KubeEmu.Actors.Node.Exec.ExecStarted("9f1c"),
        new Akka.KubeEmu.Actors.Node.Exec.ExecInput("9f1c", [0, 1, 2, 255, (byte)'\n']),
        new Akka.KubeEmu.Actors.Node.Exec.ExecInput("9f1c", [], Closed: true),
        new Akka.KubeEmu.Actors.Node.Exec.ExecOutput("9f1c", 2, [(byte)'x', 0, 200]),
        new Akka.KubeEmu.Actors.Node.Exec.ExecExited("9f1c", 3),
        new Akka.KubeEmu.Actors.Node.Exec.ExecExited("9f1c", 0, "container not found (\"nginx\")"),
        new Akka.KubeEmu.Actors.Node.Exec.ExecCancel("9f1c"),
    ];
}
