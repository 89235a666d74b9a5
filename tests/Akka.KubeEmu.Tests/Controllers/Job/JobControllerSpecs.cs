using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Job;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.Job;

/// <summary>The Job controller against a real Store, in virtual time.</summary>
public sealed class JobControllerSpecs : JobTestBase
{
    private const string GeneratedName = "[bcdfghjklmnpqrstvwxz2456789]{5}";

    [Fact]
    public void Runs_completions_pods_never_more_than_parallelism_at_once_and_completes()
    {
        StartJobController();
        var job = CreateJob(NewJob("pi", completions: 3, parallelism: 2));

        var first = WaitForActivePods(job, 2);
        foreach (var pod in first)
        {
            Assert.Matches($"^pi-{GeneratedName}$", pod.Metadata.Name);
            Assert.Equal(new[] { JobPods.TrackingFinalizer }, pod.Metadata.Finalizers);
            Assert.Equal(job.Metadata.Uid, pod.Metadata.Labels["batch.kubernetes.io/controller-uid"]);
            Assert.Equal(job.Metadata.Uid, pod.Metadata.Labels["controller-uid"]);
            Assert.Equal("pi", pod.Metadata.Labels["batch.kubernetes.io/job-name"]);
            Assert.Equal("pi", pod.Metadata.Labels["job-name"]);
            var owner = Assert.Single(pod.Metadata.OwnerReferences);
            Assert.Equal(("batch/v1", "Job", "pi", true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Controller, owner.BlockOwnerDeletion));
        }
        var running = WaitForJob("pi", j => j.Status.Active == 2 && j.Status.StartTime is not null, "2 active");
        Assert.Equal((0, 0), (running.Status.Ready, running.Status.Terminating));

        Bind(first[0].Metadata.Name, "node-1");
        SetRunning(first[0].Metadata.Name, ready: true);
        WaitForJob("pi", j => j.Status.Ready == 1, "1 ready");
        Finish(first[0].Metadata.Name, 0);
        // The finished pod is counted once its finalizer is off, and a third one starts; never more than two run.
        var second = WaitForActivePods(job, 2, "a third pod");
        Eventually(() => PodNamed(first[0].Metadata.Name).Metadata.Finalizers is null or { Count: 0 }, Budget, "finalizer removed");
        WaitForJob("pi", j => j.Status.Succeeded == 1 && j.Status.UncountedTerminatedPods is { Succeeded: null or { Count: 0 } }, "1 succeeded");

        foreach (var pod in second) Finish(pod.Metadata.Name, 0);
        var done = WaitForJob("pi", j => Has(j, JobConditions.Complete), "Complete");
        Assert.Equal((3, (int?)null, (int?)null), (done.Status.Succeeded ?? 0, done.Status.Active, done.Status.Failed));
        Assert.NotNull(done.Status.CompletionTime);
        Assert.Equal(new[] { "SuccessCriteriaMet", "Complete" }, done.Status.Conditions.Select(c => c.Type));
        Assert.All(done.Status.Conditions, c => Assert.Equal(("True", "CompletionsReached", "Reached expected number of succeeded pods"), (c.Status, c.Reason, c.Message)));
        Assert.Equal(3, PodsOf(job).Count);
        Assert.All(PodsOf(job), p => Assert.Empty(p.Metadata.Finalizers ?? []));
        WaitForEvents("pi", "Completed", 1);
        Assert.Equal("Job completed", Assert.Single(EventMessages("pi", "Completed")));
        Assert.Equal(PodsOf(job).Select(p => $"Created pod: {p.Metadata.Name}").Order(), EventMessages("pi", "SuccessfulCreate").Order());
        Assert.Equal("job-controller", EventsOf("pi")[0].Source.Component);
    }

    [Fact]
    public void Replaces_failed_pods_after_a_doubling_back_off_and_fails_past_the_backoff_limit()
    {
        StartJobController();
        var job = CreateJob(NewJob("flaky", backoffLimit: 2));

        var firstPod = Assert.Single(WaitForActivePods(job, 1)).Metadata.Name;
        var failedAt = WholeSecond(Time.GetUtcNow());
        Finish(firstPod, 1);
        var second = Eventually(() => ActivePodsOf(job).FirstOrDefault(), Budget, "a replacement", TimeSpan.FromMilliseconds(100));
        // The fast profile's back-off: 1 s, then 2 s.
        Assert.True(PodStates(second) - failedAt >= TimeSpan.FromSeconds(1), $"replaced after {PodStates(second) - failedAt}");
        WaitForJob("flaky", j => j.Status.Failed == 1, "1 failed");

        failedAt = WholeSecond(Time.GetUtcNow());
        Finish(second.Metadata.Name, 1);
        var third = Eventually(() => ActivePodsOf(job).FirstOrDefault(), Budget, "a second replacement", TimeSpan.FromMilliseconds(100));
        Assert.True(PodStates(third) - failedAt >= TimeSpan.FromSeconds(2), $"replaced after {PodStates(third) - failedAt}");

        Finish(third.Metadata.Name, 1);
        var failed = WaitForJob("flaky", j => Has(j, JobConditions.Failed), "Failed");
        Assert.Equal(3, failed.Status.Failed);
        Assert.Equal(new[] { "FailureTarget", "Failed" }, failed.Status.Conditions.Select(c => c.Type));
        Assert.All(failed.Status.Conditions, c => Assert.Equal(("BackoffLimitExceeded", "Job has reached the specified backoff limit"), (c.Reason, c.Message)));
        Assert.Null(failed.Status.CompletionTime);
        Assert.Empty(ActivePodsOf(job));
        WaitForEvents("flaky", "BackoffLimitExceeded", 1);
        Assert.Equal("Warning", EventsOf("flaky").Single(e => e.Reason == "BackoffLimitExceeded").Type);
        Assert.Equal(3, EventCount("flaky", "SuccessfulCreate"));
    }

    // Timestamps are written in whole seconds (a pod's finish, its successor's creation).
    private static DateTimeOffset WholeSecond(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private static DateTimeOffset PodStates(V1Pod pod) => new(DateTime.SpecifyKind(pod.Metadata.CreationTimestamp!.Value, DateTimeKind.Utc));

    [Fact]
    public void Restarts_under_OnFailure_count_against_the_backoff_limit()
    {
        StartJobController();
        var job = CreateJob(NewJob("restarts", restartPolicy: "OnFailure", backoffLimit: 2));
        var pod = Assert.Single(WaitForActivePods(job, 1)).Metadata.Name;
        Bind(pod, "node-1");
        Restarted(pod, 1);
        WaitForJob("restarts", j => j.Status.Active == 1, "still running after one restart");
        Restarted(pod, 2);
        var failing = WaitForJob("restarts", j => Has(j, JobConditions.FailureTarget), "FailureTarget");
        Assert.Equal("BackoffLimitExceeded", ConditionOf(failing, JobConditions.FailureTarget)!.Reason);
        // The pod is deleted; the Job is Failed once the kubelet has stopped it.
        Eventually(() => PodNamed(pod).Metadata.DeletionTimestamp is not null, Budget, "pod deleted");
        Assert.False(Has(JobNamed("restarts"), JobConditions.Failed));
        Assert.Equal(1, JobNamed("restarts").Status.Terminating);
        Finish(pod, 137);
        var failed = WaitForJob("restarts", j => Has(j, JobConditions.Failed), "Failed");
        Assert.Equal((1, 0), (failed.Status.Failed, failed.Status.Terminating));
        Assert.Empty(PodNamed(pod).Metadata.Finalizers ?? []);
    }

    [Fact]
    public void Indexed_jobs_give_each_pod_its_index_and_report_completed_indexes_as_ranges()
    {
        StartJobController();
        var job = CreateJob(NewJob("idx", completions: 4, parallelism: 4, completionMode: "Indexed"));
        var pods = WaitForActivePods(job, 4);
        for (var i = 0; i < 4; i++)
        {
            var pod = pods.Single(p => p.Metadata.Annotations[JobPods.CompletionIndexAnnotation] == i.ToString());
            Assert.Matches($"^idx-{i}-{GeneratedName}$", pod.Metadata.Name);
            Assert.Equal(i.ToString(), pod.Metadata.Labels[JobPods.CompletionIndexAnnotation]);
            Assert.Equal($"idx-{i}", pod.Spec.Hostname);
            var env = Assert.Single(pod.Spec.Containers[0].Env);
            Assert.Equal(("JOB_COMPLETION_INDEX", "metadata.annotations['batch.kubernetes.io/job-completion-index']"), (env.Name, env.ValueFrom.FieldRef.FieldPath));
        }
        string PodOf(int index) => pods.Single(p => p.Metadata.Annotations[JobPods.CompletionIndexAnnotation] == index.ToString()).Metadata.Name;

        Finish(PodOf(0), 0);
        Finish(PodOf(1), 0);
        Finish(PodOf(3), 0);
        var partial = WaitForJob("idx", j => j.Status.Succeeded == 3, "3 succeeded");
        Assert.Equal("0,1,3", partial.Status.CompletedIndexes);
        Assert.Equal(1, partial.Status.Active);

        Finish(PodOf(2), 0);
        var done = WaitForJob("idx", j => Has(j, JobConditions.Complete), "Complete");
        Assert.Equal(("0-3", 4), (done.Status.CompletedIndexes, done.Status.Succeeded));
    }

    [Fact]
    public void A_failed_index_is_retried_with_its_failure_count_and_fails_the_job_past_backoffLimitPerIndex()
    {
        StartJobController();
        var spec = NewJob("per-index", completions: 2, parallelism: 2, completionMode: "Indexed");
        spec.Spec.BackoffLimitPerIndex = 1;
        var job = CreateJob(spec);
        Assert.Equal(int.MaxValue, job.Spec.BackoffLimit);
        var pods = WaitForActivePods(job, 2);
        var zero = pods.Single(p => p.Metadata.Labels[JobPods.CompletionIndexAnnotation] == "0").Metadata.Name;
        var one = pods.Single(p => p.Metadata.Labels[JobPods.CompletionIndexAnnotation] == "1").Metadata.Name;
        Assert.Equal("0", PodNamed(zero).Metadata.Annotations[JobPods.IndexFailureCountAnnotation]);

        Finish(zero, 1);
        var retry = Eventually(() => ActivePodsOf(job).FirstOrDefault(p => p.Metadata.Labels[JobPods.CompletionIndexAnnotation] == "0"), Budget, "index 0 again");
        Assert.Equal("1", retry.Metadata.Annotations[JobPods.IndexFailureCountAnnotation]);
        Finish(one, 0);
        Finish(retry.Metadata.Name, 1);

        var failed = WaitForJob("per-index", j => Has(j, JobConditions.Failed), "Failed");
        Assert.Equal(("0", "1", 2, 1), (failed.Status.FailedIndexes, failed.Status.CompletedIndexes, failed.Status.Failed, failed.Status.Succeeded));
        Assert.Equal(("FailedIndexes", "Job has failed indexes"), (ConditionOf(failed, JobConditions.Failed)!.Reason, ConditionOf(failed, JobConditions.Failed)!.Message));
    }

    [Fact]
    public void Fails_past_active_deadline_seconds_deleting_its_pods()
    {
        StartJobController();
        var spec = NewJob("deadline", completions: 2, parallelism: 2);
        spec.Spec.ActiveDeadlineSeconds = 30;
        var job = CreateJob(spec);
        var pods = WaitForActivePods(job, 2);
        Bind(pods[0].Metadata.Name, "node-1");
        SetRunning(pods[0].Metadata.Name, ready: true);
        var started = WaitForJob("deadline", j => j.Status.StartTime is not null, "started").Status.StartTime!.Value;

        var failing = WaitForJob("deadline", j => Has(j, JobConditions.FailureTarget), "FailureTarget", step: TimeSpan.FromSeconds(1));
        var target = ConditionOf(failing, JobConditions.FailureTarget)!;
        Assert.Equal(("DeadlineExceeded", "Job was active longer than specified deadline"), (target.Reason, target.Message));
        Assert.InRange((target.LastTransitionTime!.Value - started).TotalSeconds, 30, 40);
        WaitForEvents("deadline", "SuccessfulDelete", 2);
        // The unscheduled pod goes at once; the running one once the kubelet ends it.
        Finish(pods[0].Metadata.Name, 143);
        var failed = WaitForJob("deadline", j => Has(j, JobConditions.Failed), "Failed");
        Assert.Equal(2, failed.Status.Failed);
        WaitForEvents("deadline", "DeadlineExceeded", 1);
        Assert.Equal("Job was active longer than specified deadline", Assert.Single(EventMessages("deadline", "DeadlineExceeded")));
    }

    [Fact]
    public void A_suspended_job_runs_nothing_until_resumed_and_loses_its_pods_when_suspended_again()
    {
        StartJobController();
        var spec = NewJob("later", completions: 2, parallelism: 2);
        spec.Spec.Suspend = true;
        var job = CreateJob(spec);
        var suspended = WaitForJob("later", j => Has(j, JobConditions.Suspended), "Suspended");
        Assert.Equal(("JobSuspended", "Job suspended"), (ConditionOf(suspended, "Suspended")!.Reason, ConditionOf(suspended, "Suspended")!.Message));
        Assert.Null(suspended.Status.StartTime);
        Assert.Empty(PodsOf(job));
        WaitForEvents("later", "Suspended", 1);

        Advance(TimeSpan.FromMinutes(5));
        UpdateJob("later", j => j.Spec.Suspend = false);
        var resumed = WaitForJob("later", j => ConditionOf(j, "Suspended")?.Status == "False" && j.Status.Active == 2, "resumed");
        Assert.Equal(("JobResumed", "Job resumed"), (ConditionOf(resumed, "Suspended")!.Reason, ConditionOf(resumed, "Suspended")!.Message));
        Assert.True(resumed.Status.StartTime >= job.Metadata.CreationTimestamp!.Value.AddMinutes(5), "startTime is the resumption");
        WaitForEvents("later", "Resumed", 1);

        UpdateJob("later", j => j.Spec.Suspend = true);
        var again = WaitForJob("later", j => Has(j, JobConditions.Suspended) && j.Status.Active is null, "suspended again");
        Assert.Empty(ActivePodsOf(job));
        Assert.Null(again.Status.Failed);
        WaitForEvents("later", "SuccessfulDelete", 2);
    }

    [Fact]
    public void A_pod_failure_policy_fails_the_job_on_an_exit_code_and_ignores_another()
    {
        StartJobController();
        var spec = NewJob("policy", backoffLimit: 0);
        spec.Spec.PodFailurePolicy = new V1PodFailurePolicy
        {
            Rules =
            [
                new V1PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [42] } },
                new V1PodFailurePolicyRule { Action = "Ignore", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [3] } },
            ],
        };
        var job = CreateJob(spec);
        Assert.Equal("Failed", job.Spec.PodReplacementPolicy);
        var first = Assert.Single(WaitForActivePods(job, 1)).Metadata.Name;

        Finish(first, 3); // ignored: not counted against backoffLimit 0, replaced at once
        var second = Eventually(() => ActivePodsOf(job).FirstOrDefault(), Budget, "a replacement of the ignored failure").Metadata.Name;
        Assert.Null(JobNamed("policy").Status.Failed);

        Finish(second, 42);
        var failed = WaitForJob("policy", j => Has(j, JobConditions.Failed), "Failed");
        var condition = ConditionOf(failed, JobConditions.Failed)!;
        Assert.Equal(("PodFailurePolicy", $"Container pi for pod default/{second} failed with exit code 42 matching FailJob rule at index 0"),
            (condition.Reason, condition.Message));
        Assert.Equal(1, failed.Status.Failed);
    }

    [Fact]
    public void A_work_queue_job_completes_when_a_pod_succeeded_and_none_is_left_running()
    {
        StartJobController();
        var job = CreateJob(NewJob("queue", completions: null, parallelism: 2));
        Assert.Null(job.Spec.Completions);
        var pods = WaitForActivePods(job, 2);
        Finish(pods[0].Metadata.Name, 0);
        WaitForJob("queue", j => j.Status.Succeeded == 1, "1 succeeded");
        Assert.Single(ActivePodsOf(job));
        Assert.False(Has(JobNamed("queue"), JobConditions.Complete));
        Finish(pods[1].Metadata.Name, 0);
        WaitForJob("queue", j => Has(j, JobConditions.Complete), "Complete");
        Assert.Equal(2, PodsOf(job).Count);
    }

    [Fact]
    public void Pods_of_a_deleted_job_lose_their_finalizer_so_that_they_can_go()
    {
        StartJobController();
        var job = CreateJob(NewJob("gone"));
        var pod = Assert.Single(WaitForActivePods(job, 1)).Metadata.Name;
        Assert.Null(Await(Api.Delete<V1Job>("default", "gone", new Actors.Api.Rest.DeleteRequest(PropagationPolicy: "Background"))));
        Eventually(() => PodNamed(pod).Metadata.Finalizers is null or { Count: 0 }, Budget, "finalizer removed from the orphan");
    }
}
