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
        storeCommand.SetAction(async (r, _) => await new StoreBenchmark(new StoreBenchOptions(r.GetValue(objects), TimeSpan.FromSeconds(r.GetValue(duration)),
            r.GetValue(skipEtcd), r.GetValue(store)!, r.GetValue(connection), r.GetValue(etcd)!, r.GetValue(config), r.GetValue(synchronous)!, TimeSpan.FromSeconds(r.GetValue(warmUp)), r.GetValue(http)!), Console.Out).Run());
        return new Command("bench", "Benchmarks; each prints its figures and the targets they meet.") { storeCommand };
    }
}
