using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.CronJob;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.CronJob;

/// <summary>
/// The CronJob controller on its own against a real Store, over hours and days of virtual time
/// (from Sunday 22 November 2026, 12:00 UTC); the specs play the Job controller by finishing Jobs.
/// </summary>
public sealed class CronJobControllerSpecs : ControllerSpecBase
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private Manager StartCronJobController() => StartController(context => CronJobController.Props(context));

    private static V1CronJob NewCronJob(string name, string schedule, string policy = "Allow") => new()
    {
        ApiVersion = "batch/v1",
        Kind = "CronJob",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1CronJobSpec
        {
            Schedule = schedule,
            ConcurrencyPolicy = policy,
            JobTemplate = new V1JobTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1JobSpec
                {
                    Template = new V1PodTemplateSpec
                    {
                        Spec = new V1PodSpec
                        {
                            RestartPolicy = "OnFailure",
                            Containers = [new V1Container { Name = "hello", Image = "busybox:1.28", Command = ["/bin/sh", "-c", "date; echo Hello"] }],
                        },
                    },
                },
            },
        },
    };

    private V1CronJob Create(V1CronJob cj) => Await(Api.Create(cj)).Object;

    private V1CronJob CronJobNamed(string name) => Await(Api.Get<V1CronJob>("default", name)).Object;

    private IReadOnlyList<V1Job> JobsOf(V1CronJob cj) =>
        Await(Api.List<V1Job>("default")).Object.Where(j => KubeModels.ControllerOf(j)?.Uid == cj.Metadata.Uid)
            .OrderBy(j => j.Metadata.Name, StringComparer.Ordinal).ToArray();

    private static string NameAt(string cronJob, DateTimeOffset scheduled) => $"{cronJob}-{scheduled.ToUnixTimeSeconds() / 60}";

    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private V1Job WaitForJob(string name, TimeSpan? step = null) =>
        Eventually(() => Await(Api.Get<V1Job>("default", name)) is { Ok: true } r ? r.Object : null, TimeSpan.FromHours(2), $"job {name}", step ?? Minute);

    /// <summary>Virtual time jumps to a second before <paramref name="scheduled"/>, then walks by the second until the Job is there.</summary>
    private V1Job WaitForJobAt(string name, DateTimeOffset scheduled)
    {
        if (scheduled - TimeSpan.FromSeconds(1) - Time.GetUtcNow() is { } jump && jump > TimeSpan.Zero) Advance(jump);
        return Eventually(() => Await(Api.Get<V1Job>("default", name)) is { Ok: true } r ? r.Object : null, TimeSpan.FromMinutes(5), $"job {name}",
            TimeSpan.FromSeconds(1));
    }

    private static TimeSpan Lateness(V1Job job, DateTimeOffset scheduled) =>
        new DateTimeOffset(DateTime.SpecifyKind(job.Metadata.CreationTimestamp!.Value, DateTimeKind.Utc)) - scheduled;

    /// <summary>The Job controller's part: the Job ends Complete (or Failed).</summary>
    private void FinishJob(string name, bool succeeded = true)
    {
        var job = Await(Api.Get<V1Job>("default", name)).Object;
        var now = Time.GetUtcNow().UtcDateTime;
        now = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        job.Status.StartTime ??= now;
        var type = succeeded ? "Complete" : "Failed";
        job.Status.Conditions = [new V1JobCondition { Type = type, Status = "True", Reason = succeeded ? "CompletionsReached" : "BackoffLimitExceeded", LastTransitionTime = now }];
        if (succeeded)
        {
            job.Status.CompletionTime = now;
            job.Status.Succeeded = 1;
        }
        else job.Status.Failed = 1;
        _ = Await(Api.UpdateStatus(job)).Object;
    }

    [Fact]
    public void Runs_a_job_at_every_start_time_for_hours_and_keeps_the_history_limits()
    {
        StartCronJobController();
        var cj = Create(NewCronJob("hourly", "0 * * * *"));
        Assert.Equal((3, 1, false), (cj.Spec.SuccessfulJobsHistoryLimit, cj.Spec.FailedJobsHistoryLimit, cj.Spec.Suspend));

        // Nothing before the first start time; then exactly one Job per hour, named after it.
        Advance(TimeSpan.FromMinutes(59));
        Eventually(() => CronJobNamed("hourly").Status is not null, Budget, "status");
        Assert.Empty(JobsOf(cj));
        var names = new List<string>();
        for (var hour = 1; hour <= 5; hour++)
        {
            var scheduled = Start.AddHours(hour);
            var name = NameAt("hourly", scheduled);
            var job = WaitForJobAt(name, scheduled);
            names.Add(name);
            Assert.Equal(scheduled.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), job.Metadata.Annotations[CronJobController.ScheduledTimestampAnnotation]);
            Assert.Equal("hourly", job.Metadata.Labels["app"]);
            var owner = Assert.Single(job.Metadata.OwnerReferences);
            Assert.Equal(("batch/v1", "CronJob", cj.Metadata.Uid, true), (owner.ApiVersion, owner.Kind, owner.Uid, owner.Controller));
            Assert.InRange(Lateness(job, scheduled), TimeSpan.Zero, TimeSpan.FromSeconds(30));
            var status = Eventually(() => CronJobNamed("hourly").Status is { Active.Count: 1 } s ? s : null, Budget, "active");
            Assert.Equal(name, status.Active[0].Name);
            Assert.Equal(scheduled.UtcDateTime, status.LastScheduleTime);
            // The third one fails; the others succeed.
            FinishJob(name, succeeded: hour != 3);
            Eventually(() => CronJobNamed("hourly").Status.Active is null, Budget, "no longer active");
        }
        // Events are written after the status; under a loaded suite wait for the one that matters.
        Eventually(() => EventMessages("hourly", "SawCompletedJob").Contains($"Saw completed job: {names[2]}, condition: Failed"), Budget, "the failed job seen", TimeSpan.FromMilliseconds(10));
        Assert.Equal(names.Select(n => $"Created job {n}"), EventMessages("hourly", "SuccessfulCreate"));
        // Four succeeded: the oldest goes (three kept); the one failure is kept.
        Eventually(() => JobsOf(cj).Count == 4, Budget, "history limits applied");
        Assert.Equal(new[] { names[1], names[2], names[3], names[4] }, JobsOf(cj).Select(j => j.Metadata.Name));
        Assert.Equal($"Deleted job {names[0]}", Assert.Single(EventMessages("hourly", "SuccessfulDelete")));
        Assert.NotNull(CronJobNamed("hourly").Status.LastSuccessfulTime);
    }

    [Fact]
    public void Forbid_skips_a_start_time_while_the_previous_job_runs_and_Replace_replaces_it()
    {
        StartCronJobController();
        var forbid = Create(NewCronJob("forbid", "*/30 * * * *", "Forbid"));
        var replace = Create(NewCronJob("replace", "*/30 * * * *", "Replace"));
        var first = NameAt("forbid", Start.AddMinutes(30));
        WaitForJob(first);
        WaitForJob(NameAt("replace", Start.AddMinutes(30)));

        Advance(TimeSpan.FromMinutes(30));
        WaitForEvents("forbid", "JobAlreadyActive", 1);
        Assert.Equal("Not starting job because prior execution is running and concurrency policy is Forbid", EventMessages("forbid", "JobAlreadyActive")[0]);
        Assert.Single(JobsOf(forbid));

        var second = NameAt("replace", Start.AddMinutes(60));
        WaitForJob(second);
        Eventually(() => JobsOf(replace).Select(j => j.Metadata.Name).SequenceEqual([second]), Budget, "the first replaced");
        Assert.Contains($"Deleted job {NameAt("replace", Start.AddMinutes(30))}", EventMessages("replace", "SuccessfulDelete"));
        // status.active is written after the Jobs change: under a loaded suite it can trail them.
        Eventually(() => CronJobNamed("replace").Status.Active is [{ } only] && only.Name == second, Budget, "status.active naming only the second job");

        // Once the running Job finished, Forbid runs the start time it skipped, late (no startingDeadlineSeconds).
        FinishJob(first);
        WaitForJob(NameAt("forbid", Start.AddMinutes(60)));
    }

    [Fact]
    public void A_start_time_missed_beyond_the_starting_deadline_is_skipped_and_without_one_runs_late()
    {
        var late = NewCronJob("late", "0 * * * *");
        late.Spec.StartingDeadlineSeconds = 60;
        var cj = Create(late);
        var whenever = Create(NewCronJob("whenever", "0 * * * *"));
        // The controller manager was down from 12:00 to 15:30.
        Advance(TimeSpan.FromMinutes(210));
        StartCronJobController();

        // Without a deadline only the most recent missed start time runs, late.
        var ranLate = WaitForJob(NameAt("whenever", Start.AddHours(3)), TimeSpan.FromSeconds(1));
        Assert.True(Lateness(ranLate, Start.AddHours(3)) >= TimeSpan.FromMinutes(30));
        Assert.Single(JobsOf(whenever));
        // With one, 15:00 is more than 60 s ago: not run; 16:00 is on time.
        var onTime = WaitForJobAt(NameAt("late", Start.AddHours(4)), Start.AddHours(4));
        Assert.InRange(Lateness(onTime, Start.AddHours(4)), TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.Single(JobsOf(cj));
    }

    [Fact]
    public void More_than_a_hundred_missed_start_times_are_reported()
    {
        Create(NewCronJob("every-minute", "* * * * *"));
        Advance(TimeSpan.FromHours(3));
        StartCronJobController();
        WaitForEvents("every-minute", "TooManyMissedTimes", 1);
        Assert.Equal("too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
            EventMessages("every-minute", "TooManyMissedTimes")[0]);
        WaitForJob(NameAt("every-minute", Start.AddHours(3)), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_time_zone_moves_the_start_times_and_suspend_stops_them()
    {
        StartCronJobController();
        var paris = NewCronJob("paris", "0 9 * * *");
        paris.Spec.TimeZone = "Europe/Paris";
        var cj = Create(paris);
        // 09:00 in Paris is 08:00 UTC in November.
        var scheduled = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        Eventually(() => Time.GetUtcNow() >= scheduled.AddHours(-1), TimeSpan.FromHours(20), "07:00 UTC", TimeSpan.FromMinutes(10));
        Assert.Empty(JobsOf(cj));
        var job = WaitForJobAt(NameAt("paris", scheduled), scheduled);
        Assert.Equal("2026-11-23T09:00:00+01:00", job.Metadata.Annotations[CronJobController.ScheduledTimestampAnnotation]);
        Assert.InRange(Lateness(job, scheduled), TimeSpan.Zero, TimeSpan.FromSeconds(30));
        FinishJob(job.Metadata.Name);

        Eventually(() => CronJobNamed("paris").Status.Active is null, Budget, "the Job seen finished");
        var suspended = CronJobNamed("paris");
        suspended.Spec.Suspend = true;
        _ = Await(Api.Update(suspended)).Object;
        // Two more start times pass while suspended: nothing runs.
        Eventually(() => Time.GetUtcNow() > scheduled.AddDays(2).AddHours(1), TimeSpan.FromDays(3), "two days later", TimeSpan.FromHours(1));
        Assert.Single(JobsOf(cj));
        Assert.Equal(scheduled.UtcDateTime, CronJobNamed("paris").Status.LastScheduleTime);
    }
}
