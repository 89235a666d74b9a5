using System.Text.Json.Nodes;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E4 (Jobs and CronJobs) with the real kubectl against node processes: the documentation's pi
/// Job run 5 times, 2 at a time; a CronJob every minute; a Job made from it by hand.
/// </summary>
[Collection("shared cluster")]
public sealed class JobSpecs(SharedCluster shared) : IAsyncLifetime
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(60);
    private Kubectl Kubectl { get; set; } = null!;

    public async Task InitializeAsync() => Kubectl = await shared.Namespace("jobs");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_job_runs_5_completions_never_more_than_2_pods_at_once_and_ends_Complete()
    {
        const string manifest = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: pi
            spec:
              completions: 5
              parallelism: 2
              backoffLimit: 4
              template:
                spec:
                  containers:
                  - name: pi
                    image: perl:5.34.0
                    command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]
                  restartPolicy: Never
            """;
        (await Kubectl.RunWithInput(manifest, "apply", "-f", "-")).Ok();
        var mostActive = 0;
        var seen = new HashSet<string>();
        await Eventually.Until(async () =>
        {
            var pods = (await Kubectl.Run("get", "pods", "-l", "job-name=pi", "-o", "json")).Json()["items"]!.AsArray();
            foreach (var p in pods) seen.Add(p!["metadata"]!["name"]!.GetValue<string>());
            mostActive = Math.Max(mostActive, pods.Count(p => p!["status"]?["phase"]?.GetValue<string>() is "Pending" or "Running"));
            return (await Kubectl.Run("get", "job", "pi", "-o", "jsonpath={.status.conditions[?(@.type==\"Complete\")].status}")).Ok().Stdout;
        }, s => s == "True", Run, "job pi Complete");
        Assert.InRange(mostActive, 1, 2);
        Assert.Equal(5, seen.Count);
        Assert.All(seen, n => Assert.Matches("^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$", n));

        var jobs = TableOutput.Parse((await Kubectl.Run("get", "jobs")).Ok().Stdout);
        Assert.Equal(["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"], jobs.Headers);
        Assert.Equal(("Complete", "5/5"), (jobs.Row("pi")["STATUS"], jobs.Row("pi")["COMPLETIONS"]));
        Assert.Matches("^[0-9]+s$", jobs.Row("pi")["DURATION"]);
        var wide = TableOutput.Parse((await Kubectl.Run("get", "jobs", "-o", "wide")).Ok().Stdout);
        Assert.Equal(["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"], wide.Headers);
        var uid = (await Kubectl.Run("get", "job", "pi", "-o", "jsonpath={.metadata.uid}")).Ok().Stdout;
        Assert.Equal(("pi", "perl:5.34.0", $"batch.kubernetes.io/controller-uid={uid}"), (wide.Row("pi")["CONTAINERS"], wide.Row("pi")["IMAGES"], wide.Row("pi")["SELECTOR"]));

        var pods = TableOutput.Parse((await Kubectl.Run("get", "pods", "-l", "job-name=pi")).Ok().Stdout);
        Assert.All(pods.Rows, r => Assert.Equal(("0/1", "Completed"), (r["READY"], r["STATUS"])));
        var describe = (await Kubectl.Run("describe", "job", "pi")).Ok().Stdout;
        Assert.Contains("Pods Statuses:    0 Active (0 Ready) / 5 Succeeded / 0 Failed", describe);
        Assert.Contains("Completed", describe);
        // kubectl finds the Job's pod through its selector.
        var logs = await Kubectl.Run("logs", "job/pi");
        Assert.DoesNotContain("no pods", logs.Stderr + logs.Stdout);
        (await Kubectl.Run("delete", "job", "pi")).Ok();
        await Eventually.Until(async () => (await Kubectl.Run("get", "pods", "-l", "job-name=pi", "-o", "name")).Ok().Stdout, s => s.Trim().Length == 0,
            Run, "the Job's pods collected with it");
    }

    [Fact]
    public async Task A_failing_job_backs_off_and_fails_and_an_invalid_one_is_refused()
    {
        const string manifest = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: fails
            spec:
              backoffLimit: 1
              template:
                spec:
                  containers:
                  - name: sh
                    image: busybox:1.28
                    command: ["sh", "-c", "exit 1"]
                  restartPolicy: Never
            """;
        (await Kubectl.RunWithInput(manifest, "apply", "-f", "-")).Ok();
        await Eventually.Until(async () => TableOutput.Parse((await Kubectl.Run("get", "jobs", "fails")).Ok().Stdout).Row("fails")["STATUS"],
            s => s == "Failed", Run, "job fails Failed");
        var events = (await Kubectl.Run("get", "events", "--field-selector", "involvedObject.name=fails", "-o", "json")).Json()["items"]!.AsArray();
        Assert.Contains(events, e => e!["reason"]!.GetValue<string>() == "BackoffLimitExceeded"
                                     && e["message"]!.GetValue<string>() == "Job has reached the specified backoff limit");
        Assert.Equal("2", (await Kubectl.Run("get", "job", "fails", "-o", "jsonpath={.status.failed}")).Ok().Stdout);

        var always = await Kubectl.RunWithInput(manifest.Replace("name: fails", "name: always").Replace("restartPolicy: Never", "restartPolicy: Always"), "apply", "-f", "-");
        Assert.NotEqual(0, always.ExitCode);
        Assert.Contains("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"", always.Stderr);
    }

    /// <summary>
    /// The CronJob waits for the next wall-clock minute (30 s on average): its scenario starts with
    /// the shared cluster, in a namespace of its own, and runs while the other classes do.
    /// </summary>
    [Fact]
    public Task A_cron_job_every_minute_starts_its_job_at_the_minute_and_a_job_can_be_made_from_it() =>
        shared.StartedWithTheCluster(CronScenario);

    public const string CronScenario = "cron";

    /// <summary>Polls once a second: the scenario runs beside other tests, and each poll starts a kubectl.</summary>
    private static readonly TimeSpan BesideOthers = TimeSpan.FromSeconds(1);

    public static async Task CronJobEveryMinute(SharedCluster shared, CancellationToken ct)
    {
        var kubectl = await shared.Namespace("cronjobs");
        const string manifest = """
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: hello
            spec:
              schedule: "*/1 * * * *"
              successfulJobsHistoryLimit: 1
              jobTemplate:
                spec:
                  template:
                    spec:
                      containers:
                      - name: hello
                        image: busybox:1.28
                        command: ["/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"]
                      restartPolicy: OnFailure
            """;
        // Start well inside a minute: the manual Job below must start seconds before the first scheduled
        // one. Two finished Jobs that started in the same second are ordered by name (byJobStartTime), and
        // "hello-<minute>" sorts first, so the history limit would delete the scheduled Job instead.
        await Eventually.Until(() => Task.FromResult(DateTimeOffset.UtcNow.Second), s => s is >= 1 and <= 40,
            TimeSpan.FromSeconds(30), "a wall clock between seconds 1 and 40 of a minute", TimeSpan.FromMilliseconds(200), ct);
        (await kubectl.RunWithInput(manifest, "apply", "-f", "-")).Ok();
        var cronJobs = TableOutput.Parse((await kubectl.Run("get", "cronjobs")).Ok().Stdout);
        Assert.Equal(["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"], cronJobs.Headers);
        Assert.Equal(("*/1 * * * *", "<none>", "False", "0", "<none>"), (cronJobs.Row("hello")["SCHEDULE"], cronJobs.Row("hello")["TIMEZONE"],
            cronJobs.Row("hello")["SUSPEND"], cronJobs.Row("hello")["ACTIVE"], cronJobs.Row("hello")["LAST SCHEDULE"]));

        // While waiting for the minute: a Job made by hand from the CronJob's template runs at once.
        (await kubectl.Run("create", "job", "--from=cronjob/hello", "hello-manual")).Ok();
        await Eventually.Until(async () => (await kubectl.Run("get", "job", "hello-manual", "-o", "jsonpath={.status.succeeded}")).Ok().Stdout,
            s => s == "1", Run, "hello-manual succeeded", BesideOthers, ct);
        Assert.Equal("manual", (await kubectl.Run("get", "job", "hello-manual", "-o", "jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}")).Ok().Stdout);

        // The scheduled Job: named after its minute, started at it; once it completed, the older manual Job
        // (owned by the CronJob too) goes beyond the history limit of 1.
        var createdEvents = await Eventually.Until(async () => (await kubectl.Run("get", "events", "--field-selector", "involvedObject.name=hello,reason=SuccessfulCreate", "-o", "json")).Json()["items"]!.AsArray(),
            e => e.Count > 0, TimeSpan.FromSeconds(75), "the first scheduled job", BesideOthers, ct);
        var name = createdEvents[0]!["message"]!.GetValue<string>()["Created job ".Length..];
        var minutes = long.Parse(name["hello-".Length..]);
        var scheduled = (await kubectl.Run("get", "job", name, "-o", "jsonpath={.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp}")).Ok().Stdout;
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(minutes * 60), DateTimeOffset.Parse(scheduled));
        var created = DateTimeOffset.Parse((await kubectl.Run("get", "job", name, "-o", "jsonpath={.metadata.creationTimestamp}")).Ok().Stdout);
        Assert.InRange((created - DateTimeOffset.FromUnixTimeSeconds(minutes * 60)).TotalSeconds, 0, 5);
        var messages = await Eventually.Until(async () => (await kubectl.Run("get", "events", "--field-selector", "involvedObject.name=hello", "-o", "json")).Json()["items"]!.AsArray()
                .Select(e => e!["message"]!.GetValue<string>()).ToHashSet(),
            m => m.Contains("Deleted job hello-manual"), Run, "the manual job deleted beyond the history limit", BesideOthers, ct);
        Assert.Contains($"Saw completed job: {name}, condition: Complete", messages);
        Assert.NotEqual(0, (await kubectl.Run("get", "job", "hello-manual")).ExitCode);
        Assert.Equal("Complete", TableOutput.Parse((await kubectl.Run("get", "jobs", name)).Ok().Stdout).Row(name)["STATUS"]);
        Assert.NotEmpty((await kubectl.Run("get", "cronjob", "hello", "-o", "jsonpath={.status.lastSuccessfulTime}")).Ok().Stdout);
        (await kubectl.Run("delete", "cronjob", "hello")).Ok();
    }
}
