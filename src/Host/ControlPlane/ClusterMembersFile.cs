using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;

namespace Akka.KubeEmu.Host.ControlPlane;

/// <summary>
/// Remembers the cluster's other members in <c>&lt;state-dir&gt;/cluster-members.json</c>. A control
/// plane restarted after kill -9 lists them as seed nodes after itself, so it joins the cluster
/// the node processes kept alive instead of founding a new one beside it.
/// </summary>
public sealed class ClusterMembersFile : ReceiveActor
{
    private readonly string _path;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);

    public ClusterMembersFile(string path)
    {
        _path = path;
        Receive<ClusterEvent.CurrentClusterState>(_ => Save());
        Receive<ClusterEvent.IMemberEvent>(_ => Save());
    }

    public static Props Props(string path) => Akka.Actor.Props.Create(() => new ClusterMembersFile(path));

    public static string PathIn(string stateDir) => System.IO.Path.Combine(stateDir, "cluster-members.json");

    /// <summary>"host:port" of the members last seen, excluding <paramref name="self"/>.</summary>
    public static IReadOnlyList<string> Read(string path, string self)
    {
        try
        {
            var members = JsonSerializer.Deserialize<string[]>(File.ReadAllText(path)) ?? [];
            return members.Where(m => m != self).ToArray();
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return [];
        }
    }

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Save()
    {
        var members = _cluster.State.Members
            .Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
            .Select(m => $"{m.Address.Host}:{m.Address.Port}")
            .ToArray();
        var tmp = _path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(members));
        File.Move(tmp, _path, overwrite: true);
    }
}
