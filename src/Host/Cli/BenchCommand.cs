using System.CommandLine;
using Akka.KubeEmu.Host.Bench;

namespace Akka.KubeEmu.Host.Cli;

public static class BenchCommand
{
    public static Command Create()
    {
        var objects = new Option<int>("--objects") { Description = "Objects in the store when it is killed and recovered.", DefaultValueFactory = _ => 100_000 };
        var duration = new Option<int>("--duration") { Description = "Seconds per load run.", DefaultValueFactory = _ => 10 };
        var warmUp = new Option<int>("--warmup")
        {
            Description = "Seconds of unmeasured creates on each store before its measured runs (the JIT compiles the hot paths; etcd gets the same).",
            DefaultValueFactory = _ => 12,
        };
        var http = new Option<string>("--http")
        {
            Description = "HTTP version to the API server: 2 (one multiplexed connection, as client-go does) or 1.1 (a connection per client).",
            DefaultValueFactory = _ => "2",
        };
        http.AcceptOnlyFromAmong("2", "1.1");
        var skipEtcd = new Option<bool>("--skip-etcd") { Description = "Compare with the reference etcd figures instead of running etcd." };
        var store = new Option<string>("--store") { Description = "sqlite or postgres.", DefaultValueFactory = _ => "sqlite" };
        store.AcceptOnlyFromAmong("sqlite", "postgres");
        var connection = new Option<string?>("--connection-string") { Description = "PostgreSQL connection string (with --store postgres)." };
        var config = CommonOptions.Config();
        var synchronous = CommonOptions.SqliteSynchronous();
        var etcd = new Option<string>("--etcd-binary") { Description = "etcd 3.4 executable (Debian: apt-get install etcd-server).", DefaultValueFactory = _ => "etcd" };

        var storeCommand = new Command("store", "Durable creates/s with 1 and 64 clients, create/get latency, recovery after kill -9; etcd 3.4 side by side.")
        {
            objects, duration, warmUp, http, skipEtcd, store, connection, etcd, config, synchronous,
        };
        storeCommand.SetAction(async (r, ct) => await KillingChildrenOnStop(ct, () => new StoreBenchmark(new StoreBenchOptions(r.GetValue(objects), TimeSpan.FromSeconds(r.GetValue(duration)),
            r.GetValue(skipEtcd), r.GetValue(store)!, r.GetValue(connection), r.GetValue(etcd)!, r.GetValue(config), r.GetValue(synchronous)!, TimeSpan.FromSeconds(r.GetValue(warmUp)), r.GetValue(http)!), Console.Out).Run()));
        var nodes = new Option<int>("--nodes") { Description = "Emulated (hollow) nodes.", DefaultValueFactory = _ => 1000 };
        var replicas = new Option<int>("--replicas") { Description = "Replicas of the Deployment.", DefaultValueFactory = _ => 10_000 };
        var nodeProcesses = new Option<int>("--node-processes") { Description = "Processes the emulated nodes are spread over.", DefaultValueFactory = _ => 1 };
        // Hollow nodes with a real cluster's heartbeats by default: the fast profile's once-a-second
        // leases from every emulated node are what issue E5 is about, not the controllers measured here.
        var profile = new Option<string>("--profile") { Description = "Timing profile: kubernetes (real defaults) or fast.", DefaultValueFactory = _ => "kubernetes" };
        profile.AcceptOnlyFromAmong("fast", "kubernetes");
        var timeout = new Option<int>("--timeout") { Description = "Seconds each phase may take before the run fails.", DefaultValueFactory = _ => 600 };
        var keep = new Option<bool>("--keep-state") { Description = "Keep the state directory and the processes' logs." };
        var workloads = new Command("workloads", "A Deployment of --replicas on --nodes hollow nodes: time to all available, then a rolling update; pods/s, API write p99, peak RSS.")
        {
            nodes, replicas, nodeProcesses, profile, timeout, config, keep,
        };
        workloads.SetAction(async (r, ct) => await KillingChildrenOnStop(ct, () => new WorkloadBenchmark(new WorkloadBenchOptions(r.GetValue(nodes), r.GetValue(replicas),
            Math.Max(1, r.GetValue(nodeProcesses)), r.GetValue(profile)!, TimeSpan.FromSeconds(r.GetValue(timeout)), r.GetValue(config), r.GetValue(keep)), Console.Out).Run()));
        return new Command("bench", "Benchmarks; each prints its figures and the targets they meet.")
        {
            storeCommand, workloads, Idle(nodes, replicas, nodeProcesses, timeout, config, keep), Failover(config, keep), ControlPlaneFailover(config),
            Services(config), Scheduler(config, keep),
        };
    }

    /// <summary>
    /// Runs a benchmark that ignores cancellation and kills every process it started when Ctrl-C or
    /// SIGTERM stops this one: System.CommandLine cancels the token, then ends the process before
    /// the benchmark's own `finally` could run.
    /// </summary>
    private static async Task<int> KillingChildrenOnStop(CancellationToken ct, Func<Task<int>> run)
    {
        await using var kill = ct.Register(Launcher.ChildProcess.KillEveryStarted);
        try
        {
            return await run();
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Its processes were killed under it: that is the stop, not a failure to report.
            Console.Error.WriteLine("stopped; every process the benchmark started was killed");
            return 130;
        }
    }

    private static Command Scheduler(Option<string?> config, Option<bool> keep)
    {
        var nodes = new Option<int>("--nodes") { Description = "Emulated (hollow) nodes.", DefaultValueFactory = _ => 5000 };
        var nodeProcesses = new Option<int>("--node-processes") { Description = "Processes the emulated nodes are spread over.", DefaultValueFactory = _ => 2 };
        var plain = new Option<int>("--plain-pods") { Description = "Pods of the first wave: no constraints.", DefaultValueFactory = _ => 10_000 };
        var affinity = new Option<int>("--affinity-pods") { Description = "Pods of the second wave: a required node affinity.", DefaultValueFactory = _ => 2_000 };
        var spread = new Option<int>("--spread-pods") { Description = "Pods of the third wave: a hostname topology spread constraint.", DefaultValueFactory = _ => 2_000 };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients creating pods.", DefaultValueFactory = _ => 32 };
        // fast: a container starts in 200 ms, where the kubernetes profile takes 1 s, which alone would miss the 1 s startup target.
        var profile = new Option<string>("--profile") { Description = "Timing profile: fast or kubernetes (its containers take 1 s to start).", DefaultValueFactory = _ => "fast" };
        profile.AcceptOnlyFromAmong("fast", "kubernetes");
        var timeout = new Option<int>("--timeout") { Description = "Seconds each phase may take before the run fails.", DefaultValueFactory = _ => 600 };
        var gated = new Option<bool>("--gated") { Description = "Create each wave's pods with a scheduling gate, then lift the gates at once: the scheduler alone is timed, from the first release to the last binding." };
        var command = new Command("scheduler", "Waves of pending pods (plain, node affinity, topology spread) on --nodes hollow nodes: scheduling throughput, scheduling and startup latency p50/p99.")
        {
            nodes, nodeProcesses, plain, affinity, spread, clients, profile, timeout, gated, config, keep,
        };
        command.SetAction(async (r, ct) => await KillingChildrenOnStop(ct, () => new SchedulerBenchmark(new SchedulerBenchOptions(r.GetValue(nodes), Math.Max(1, r.GetValue(nodeProcesses)),
            r.GetValue(plain), r.GetValue(affinity), r.GetValue(spread), r.GetValue(clients), r.GetValue(profile)!,
            TimeSpan.FromSeconds(r.GetValue(timeout)), r.GetValue(config), r.GetValue(keep), r.GetValue(gated)), Console.Out).Run()));
        return command;
    }

    private static Command Services(Option<string?> config)
    {
        var connections = new Option<int>("--connections") { Description = "Concurrent keep-alive connections.", DefaultValueFactory = _ => 16 };
        var duration = new Option<int>("--duration") { Description = "Seconds per run.", DefaultValueFactory = _ => 10 };
        var nginx = new Option<string>("--nginx-url") { Description = "A local nginx to compare with (apt-get install nginx).", DefaultValueFactory = _ => "http://127.0.0.1:80/" };
        var command = new Command("services", "HTTP requests/s and p50/p99 through a NodePort to 3 nginx pods, straight to one pod, and to a local nginx.")
        {
            connections, duration, nginx, config,
        };
        command.SetAction(async (r, ct) => await new ServicesBenchmark(new ServicesBenchOptions(Math.Max(1, r.GetValue(connections)),
            TimeSpan.FromSeconds(r.GetValue(duration)), r.GetValue(nginx)!, r.GetValue(config), TimeSpan.FromSeconds(90)), Console.Out).Run(ct));
        return command;
    }

    /// <summary>`bench idle`: the workloads benchmark's scale-up, then the cluster measured at rest (the fast profile by default: its heartbeats are the ones that used to cost).</summary>
    private static Command Idle(Option<int> nodes, Option<int> replicas, Option<int> nodeProcesses, Option<int> timeout, Option<string?> config, Option<bool> keep)
    {
        var profile = new Option<string>("--profile") { Description = "Timing profile: fast or kubernetes.", DefaultValueFactory = _ => "fast" };
        profile.AcceptOnlyFromAmong("fast", "kubernetes");
        var settle = new Option<int>("--settle") { Description = "Seconds after the last replica is available before measuring.", DefaultValueFactory = _ => 30 };
        var measure = new Option<int>("--measure") { Description = "Seconds measured.", DefaultValueFactory = _ => 60 };
        var idle = new Command("idle", "--replicas pods on --nodes hollow nodes, then the CPU of every process and the Store's writes/s at rest.")
        {
            nodes, replicas, nodeProcesses, profile, settle, measure, timeout, config, keep,
        };
        idle.SetAction(async (r, ct) => await KillingChildrenOnStop(ct, () => new WorkloadBenchmark(new WorkloadBenchOptions(r.GetValue(nodes), r.GetValue(replicas),
            Math.Max(1, r.GetValue(nodeProcesses)), r.GetValue(profile)!, TimeSpan.FromSeconds(r.GetValue(timeout)), r.GetValue(config), r.GetValue(keep),
            (TimeSpan.FromSeconds(r.GetValue(settle)), TimeSpan.FromSeconds(r.GetValue(measure)))), Console.Out).Run()));
        return idle;
    }

    private static Command Failover(Option<string?> config, Option<bool> keep)
    {
        var runs = new Option<int>("--runs") { Description = "Node processes killed, one after the other (each is started again before the next run).", DefaultValueFactory = _ => 10 };
        var nodeProcesses = new Option<int>("--node-processes") { Description = "Node processes (one Node each); at least 2.", DefaultValueFactory = _ => 3 };
        var pods = new Option<int>("--pods") { Description = "nginx pods, shared out over up to 3 Deployments.", DefaultValueFactory = _ => 30 };
        var profile = CommonOptions.Profile();
        var timeout = new Option<int?>("--timeout") { Description = "Seconds each phase may take from the kill (default: 60 with the fast profile, 900 with kubernetes, whose 300 s tolerations alone take 5 minutes)." };
        var virtualTime = new Option<bool>("--virtual-time")
        {
            Description = "Run the cluster in this process in virtual time (the test kit's mode): the kubernetes profile's minutes take seconds; times are virtual seconds, compared with Kubernetes' timing.",
        };
        var failover = new Command("failover", "SIGKILL to the node process with the most pods: time to Node NotReady, pods evicted, replacements Running, dead pods collected; median and max over --runs.")
        {
            runs, nodeProcesses, pods, profile, timeout, config, keep, virtualTime,
        };
        failover.SetAction(async (r, ct) =>
        {
            var chosenProfile = r.GetValue(profile)!;
            var seconds = r.GetValue(timeout) ?? (chosenProfile == "fast" ? 60 : 900);
            var options = new FailoverBenchOptions(Math.Max(1, r.GetValue(runs)), r.GetValue(nodeProcesses), Math.Max(1, r.GetValue(pods)),
                chosenProfile, TimeSpan.FromSeconds(seconds), r.GetValue(config), r.GetValue(keep));
            return r.GetValue(virtualTime)
                ? await new VirtualFailoverBenchmark(options, Console.Out).Run(ct)
                : await new FailoverBenchmark(options, Console.Out).Run(ct);
        });
        return failover;
    }

    private static Command ControlPlaneFailover(Option<string?> config)
    {
        var runs = new Option<int>("--runs") { Description = "Control planes killed, one after the other (each is started again before the next run).", DefaultValueFactory = _ => 5 };
        var controlPlanes = new Option<int>("--control-planes") { Description = "Control-plane processes; at least 2.", DefaultValueFactory = _ => 3 };
        var nodeProcesses = new Option<int>("--node-processes") { Description = "Node processes.", DefaultValueFactory = _ => 2 };
        var profile = CommonOptions.Profile();
        var timeout = new Option<int>("--timeout") { Description = "Seconds each phase may take from the kill.", DefaultValueFactory = _ => 60 };
        var command = new Command("control-plane-failover",
            "SIGKILL to the control plane running the Store, scheduler and controllers: time until another control plane's API answers a read, accepts a write, and a scale-up is available; median and max over --runs.")
        {
            runs, controlPlanes, nodeProcesses, profile, timeout, config,
        };
        command.SetAction(async (r, ct) => await new ControlPlaneFailoverBenchmark(new ControlPlaneFailoverOptions(Math.Max(1, r.GetValue(runs)),
            r.GetValue(controlPlanes), Math.Max(1, r.GetValue(nodeProcesses)), r.GetValue(profile)!, TimeSpan.FromSeconds(r.GetValue(timeout)), r.GetValue(config)),
            Console.Out).Run(ct));
        return command;
    }
}
