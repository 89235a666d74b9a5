namespace Akka.KubeEmu.TestKit;

/// <summary>What <see cref="EmulatedCluster.StartAsync"/> starts, and how long the kit waits for things.</summary>
public sealed record EmulatedClusterOptions
{
    /// <summary>Node processes besides the control plane (Nodes node-1 … node-N).</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>Timing profile: <c>fast</c> (seconds) or <c>kubernetes</c> (a real cluster's defaults).</summary>
    public string Profile { get; init; } = "fast";

    /// <summary>
    /// The kubeemu executable. Unset: $KUBEEMU_EXECUTABLE, else <c>kubeemu</c> next to the test
    /// assembly (where referencing the kit puts it), else <c>kubeemu</c> on PATH.
    /// </summary>
    public string? Executable { get; init; }

    /// <summary>More arguments for <c>kubeemu up</c>, e.g. <c>["--store", "postgres", "--connection-string", "…"]</c>.</summary>
    public IReadOnlyList<string> UpArguments { get; init; } = [];

    /// <summary>
    /// How long <c>kubeemu up</c> may take until every Node is Ready (generous: CI machines are small and busy);
    /// in virtual time, the virtual time the Nodes may take.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a restarted process may take to join the cluster again.</summary>
    public TimeSpan RestartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The deadline of a WaitFor… call that is given none.</summary>
    public TimeSpan DefaultWaitTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long to wait for a cluster slot: test assemblies run in parallel under
    /// <c>dotnet test</c>, so the kit lets only $KUBEEMU_TESTKIT_MAX_CLUSTERS (default 1) clusters
    /// run on the machine at once, lest their failure detectors starve each other of CPU.
    /// </summary>
    public TimeSpan SlotTimeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Keep the state directory (logs, journal) after disposal; so does $KUBEEMU_TESTKIT_KEEP_STATE=1.</summary>
    public bool KeepStateDirectory { get; init; }

    /// <summary>
    /// The whole cluster in the test process, in virtual time, instead of real processes: one
    /// ActorSystem with the control plane and a NodeHost per node process, the real API server on a
    /// free port. Time moves only when the test waits (WaitFor… deadlines are virtual) or calls
    /// <see cref="EmulatedCluster.AdvanceAsync"/>: the <c>kubernetes</c> profile's minutes take seconds.
    /// </summary>
    public bool VirtualTime { get; init; }

    /// <summary>
    /// The whole cluster in the test process, in real time, instead of real processes: the control
    /// plane and each node process run the code of `kubeemu control-plane` / `kubeemu node`, each with
    /// an ActorSystem of its own joined over loopback remoting (real membership, failure detection and
    /// downing). Starts in seconds. A kill stops a node's ActorSystem without a leave; a freeze is a
    /// partition (the process runs on, cut off from the others: a test thread pool cannot be stopped).
    /// </summary>
    public bool InProcess { get; init; }

    /// <summary>How virtual time moves (step, settling); only with <see cref="VirtualTime"/>.</summary>
    public Host.VirtualTime.VirtualTimeOptions VirtualTiming { get; init; } = new();

    /// <summary>
    /// HOCON read over the defaults by every process of the cluster (as <c>kubeemu up --config FILE</c>),
    /// e.g. <c>kubeemu.downing.stable-after = 120s</c> for freezes longer than the profile's 20 s.
    /// </summary>
    public string? ConfigOverrides { get; init; }

    /// <summary>Where the kit reports what it does (e.g. an xunit ITestOutputHelper's WriteLine).</summary>
    public Action<string>? Log { get; init; }
}
