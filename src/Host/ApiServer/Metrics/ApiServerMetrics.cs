using System.Diagnostics;
using Akka.KubeEmu.Actors.Api.Resources;
using Prometheus;

namespace Akka.KubeEmu.Host.ApiServer.Metrics;

/// <summary>
/// <c>/metrics</c> of the API server, in Prometheus' text format (prometheus-net): kube-apiserver's
/// request counter and latency histogram with its labels, the Store's current revision (its
/// resourceVersion, one step per write: <c>rate()</c> of it is the write rate) and the Akka
/// cluster's members by role and status. One registry per API server.
/// </summary>
public sealed class ApiServerMetrics
{
    // kube-apiserver's apiserver_request_duration_seconds buckets.
    private static readonly double[] DurationBuckets =
        [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

    private static readonly string[] Labels = ["verb", "dry_run", "group", "version", "resource", "subresource", "scope", "component"];

    // Within Prometheus' default scrape timeout (10 s); a Store slower than this keeps its last revision.
    private static readonly TimeSpan ScrapeTimeout = TimeSpan.FromSeconds(5);

    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly Counter _requests;
    private readonly Histogram _durations;
    private readonly Gauge _revision;
    private readonly Gauge _members;
    private readonly HashSet<(string Role, string Status)> _memberLabels = [];

    public ApiServerMetrics(Func<ApiServerServices> services)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        _requests = factory.CreateCounter("apiserver_request_total",
            "Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.",
            [.. Labels, "code"]);
        _durations = factory.CreateHistogram("apiserver_request_duration_seconds",
            "Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.",
            new HistogramConfiguration { LabelNames = Labels, Buckets = DurationBuckets });
        _revision = factory.CreateGauge("kubeemu_store_revision",
            "The Store's current resourceVersion; it grows by one per write, so its rate is the Store's write rate.");
        _members = factory.CreateGauge("kubeemu_cluster_members", "Members of the Akka cluster by role and status, as this process sees them.",
            "role", "status");
        _registry.AddBeforeCollectCallback(ct => Refresh(services(), ct));
    }

    /// <summary>Counts a request once it has been answered (a watch or exec when it ends).</summary>
    public async Task Measure(HttpContext context, Func<Task> next)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await next();
        }
        finally
        {
            var labels = RequestLabels.Of(context);
            string[] values = [labels.Verb, labels.DryRun, labels.Group, labels.Version, labels.Resource, labels.Subresource, labels.Scope, RequestLabels.Component];
            _requests.WithLabels([.. values, context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)]).Inc();
            if (!labels.IsLongRunning) _durations.WithLabels(values).Observe(clock.Elapsed.TotalSeconds);
        }
    }

    public async Task Export(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await _registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }

    private async Task Refresh(ApiServerServices services, CancellationToken ct)
    {
        lock (_memberLabels)
        {
            foreach (var (role, status) in _memberLabels) _members.WithLabels(role, status).Set(0);
            var state = services.System is Akka.Actor.ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider }
                ? Akka.Cluster.Cluster.Get(services.System).State
                : null; // a test's API server without a cluster
            foreach (var member in state?.Members ?? [])
            {
                var status = state!.Unreachable.Contains(member) ? "Unreachable" : member.Status.ToString();
                foreach (var role in member.Roles.DefaultIfEmpty(""))
                {
                    _memberLabels.Add((role, status));
                    _members.WithLabels(role, status).Inc();
                }
            }
        }

        var list = services.Rest.List(ResourceCatalog.Namespaces, null, null, null, 1, null);
        if (await Task.WhenAny(list, Task.Delay(ScrapeTimeout, services.Time, ct)) == list
            && (await list).List?.ResourceVersion is { } rv && long.TryParse(rv, out var revision))
            _revision.Set(revision);
    }
}
