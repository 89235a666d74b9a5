using System.Diagnostics;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Cluster.Bootstrap;

namespace Akka.KubeEmu.Cluster.Identity;

/// <summary>
/// Joins the cluster only through seeds of the same cluster, and answers that question for its own
/// process. Two clusters on one machine share the actor-system name, so a process pointed at a port
/// that belongs to another cluster would join it; Akka.NET 1.5 has no join-time check to stop that
/// (Akka's JoinConfigCompatChecker was never ported). So seeds are not in the HOCON: this actor asks
/// every seed's gate for its cluster id first, then calls <c>JoinSeedNodes</c> with the seeds that
/// share it. A seed from the command line of another cluster is fatal (<c>refused</c>); a
/// remembered one (cluster-members.json of an earlier run) is skipped. A process without an id
/// takes the id of the cluster it joins; one founding a cluster creates it (<c>identified</c>).
/// </summary>
public sealed class ClusterIdentityGate : ReceiveActor, IWithTimers
{
    public const string Name = "cluster-identity";

    private readonly ClusterIdentitySettings _settings;
    private readonly Action<string> _identified;
    private readonly Action<string> _refused;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly IReadOnlyList<Address> _seeds;
    private readonly HashSet<Address> _remembered;
    private readonly Dictionary<Address, bool> _sameCluster = new();
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private readonly TimeSpan _timeout;
    private string? _id;
    private int _rounds;

    public ClusterIdentityGate(ClusterIdentitySettings settings, Action<string> identified, Action<string> refused)
    {
        _settings = settings;
        _identified = identified;
        _refused = refused;
        _id = settings.ClusterId;
        var remembered = settings.RememberedSeeds.Select(Parse).ToList();
        _seeds = settings.Seeds.Select(Parse).Concat(remembered).Distinct().ToArray();
        _remembered = remembered.Except(settings.Seeds.Select(Parse)).ToHashSet();
        // Akka's own seed processes resend InitJoin, and a founding seed waits for answers, this long.
        _timeout = _cluster.Settings.SeedNodeTimeout;
        Receive<IdentityQuery>(Answer);
        Receive<Answered>(OnAnswer);
        Receive<NoAnswer>(_ => { });
        Receive<Round>(_ => AskOrJoin());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClusterIdentitySettings settings, Action<string> identified, Action<string> refused) =>
        Akka.Actor.Props.Create(() => new ClusterIdentityGate(settings, identified, refused));

    /// <summary>A fresh cluster id: 16 hex digits, short enough to read in a log line.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private Address SelfAddress => _cluster.SelfAddress;

    private bool Founder => _seeds.Count > 0 && _seeds[0] == SelfAddress;

    protected override void PreStart()
    {
        if (_seeds.Count == 0)
        {
            _log.Info("No seed nodes: this process joins when told to");
            Become(Done);
            return;
        }
        var others = _seeds.Where(s => s != SelfAddress).ToArray();
        if (others.Length == 0)
            _log.Info("Cluster id {0} (state directory {1}); this process is the only seed", _id ?? "(none yet)", _settings.StateDir);
        else
            _log.Info("Cluster id {0} (state directory {1}); asking seeds [{2}] for theirs before joining",
                _id ?? "(none yet)", _settings.StateDir, string.Join(", ", others));
        AskOrJoin();
        Timers.StartPeriodicTimer("round", Round.Instance, _timeout);
    }

    private void AskOrJoin()
    {
        if (TryJoin()) return;
        var waiting = _seeds.Where(s => s != SelfAddress && !_sameCluster.ContainsKey(s)).ToArray();
        if (++_rounds % 5 == 0)
            _log.Warning("No answer yet from seed(s) [{0}]; still asking before joining", string.Join(", ", waiting));
        foreach (var seed in waiting)
        {
            Context.ActorSelection(new RootActorPath(seed) / "user" / Name)
                .Ask<IdentityAnswer>(new IdentityQuery(_id, _settings.ProcessName, _settings.StateDir), _timeout)
                .PipeTo(Self, success: a => new Answered(seed, a), failure: _ => NoAnswer.Instance);
        }
    }

    private void OnAnswer(Answered m)
    {
        var (seed, answer) = (m.Seed, m.Answer);
        if (_sameCluster.ContainsKey(seed)) return;
        // Only a seed the user named may give this process its identity; a remembered port may be anyone's now.
        if (_id is null && _remembered.Contains(seed)) return;
        if (_id is null)
        {
            _log.Info("No cluster id in {0} yet: taking {1}, the id of the cluster of {2} at {3} (state directory {4})",
                _settings.StateDir, answer.ClusterId, answer.Process, seed, answer.StateDir);
            Identify(answer.ClusterId);
        }
        _sameCluster[seed] = answer.ClusterId == _id;
        if (_sameCluster[seed])
        {
            TryJoin();
        }
        else if (_remembered.Contains(seed))
        {
            _log.Warning("Not rejoining through {0}, a member remembered from an earlier run: its port now belongs to {1} of another cluster "
                         + "(cluster id {2}, ours {3}): its state directory is {4}, ours {5}",
                seed, answer.Process, answer.ClusterId, _id, answer.StateDir, _settings.StateDir);
            TryJoin();
        }
        else
        {
            var message = $"{_settings.ProcessName} is not joining through seed {seed.Host}:{seed.Port}: that is {answer.Process} of another cluster "
                          + $"(cluster id {answer.ClusterId}, ours {_id}): its state directory is {answer.StateDir}, ours {_settings.StateDir}. "
                          + $"Give --seed the Akka port of this cluster's control plane (see processes.json in {_settings.StateDir}).";
            _log.Error("{0}", message);
            Timers.CancelAll();
            Become(Done);
            _refused(message);
        }
    }

    /// <summary>
    /// A founder (its own first seed) waits for every other seed, or for <see cref="FounderPatience"/>;
    /// a joiner goes with the first seed of its cluster and never founds. Once any other seed of
    /// this cluster answered, even a founder joins through those alone: Akka lets the first seed
    /// join itself when the others are slow to answer InitJoin, and a restarted control plane
    /// that did so beside a running cluster would make a second one, with a second Store.
    /// </summary>
    private bool TryJoin()
    {
        var others = _seeds.Where(s => s != SelfAddress).ToArray();
        var answered = others.Where(s => _sameCluster.GetValueOrDefault(s)).ToArray();
        var ready = Founder
            ? others.All(_sameCluster.ContainsKey) || answered.Length > 0 && _since.Elapsed >= _timeout || _since.Elapsed >= FounderPatience(others.Length)
            : answered.Length > 0;
        if (!ready) return false;
        if (_id is null)
        {
            var id = NewId();
            _log.Info("Founding a cluster with the new cluster id {0} (state directory {1})", id, _settings.StateDir);
            Identify(id);
        }
        Address[] through = answered.Length > 0 ? answered : [SelfAddress];
        _log.Info("Joining cluster {0} through [{1}]", _id, string.Join(", ", through));
        _cluster.JoinSeedNodes(through);
        Timers.CancelAll();
        Become(Done);
        return true;
    }

    /// <summary>
    /// How long a founder waits for other seeds before founding: none when it has none; else a few
    /// seed timeouts, since a loaded machine may take more than one to answer, and founding beside
    /// a running cluster splits it.
    /// </summary>
    private TimeSpan FounderPatience(int otherSeeds) => otherSeeds == 0 ? TimeSpan.Zero : _timeout * 3;

    private void Identify(string id)
    {
        _id = id;
        try
        {
            _identified(id);
        }
        catch (Exception e)
        {
            _log.Error(e, "Could not record cluster id {0} in {1}", id, _settings.StateDir);
        }
    }

    private void Answer(IdentityQuery query)
    {
        // Not identified yet (about to take the id of the cluster it joins): the asker asks again.
        if (_id is null) return;
        if (query.ClusterId is not null && query.ClusterId != _id)
            _log.Warning("Refusing {0} at {1} of another cluster (cluster id {2}, ours {3}): its state directory is {4}, ours {5}",
                query.Process, Sender.Path.Address, query.ClusterId, _id, query.StateDir, _settings.StateDir);
        else if (query.ClusterId is null)
            _log.Info("{0} at {1} has no cluster id yet: it takes ours, {2}", query.Process, Sender.Path.Address, _id);
        Sender.Tell(new IdentityAnswer(_id, _settings.ProcessName, _settings.StateDir));
    }

    /// <summary>After joining (or giving up): only answers other processes' questions.</summary>
    private void Done()
    {
        Receive<IdentityQuery>(Answer);
        Receive<Answered>(_ => { });
        Receive<NoAnswer>(_ => { });
        Receive<Round>(_ => { });
    }

    private static Address Parse(string seed) => Address.Parse(seed.Contains("://") ? seed : KubeEmuConfig.AkkaAddress(seed));

    private sealed record Answered(Address Seed, IdentityAnswer Answer);

    private sealed class NoAnswer
    {
        public static readonly NoAnswer Instance = new();
    }

    private sealed class Round
    {
        public static readonly Round Instance = new();
    }
}
