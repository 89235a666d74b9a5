using Akka.KubeEmu.Actors.Api.Objects;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.Job;

/// <summary>What kube-apiserver makes of Jobs and CronJobs: defaults, the generated selector, and its 422 messages.</summary>
public sealed class BatchValidationSpecs : JobTestBase
{
    private string Refusal<T>(T obj) where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        var result = Await(Api.Create(obj));
        Assert.Equal(422, result.Error?.Code);
        return result.Error!.Message;
    }

    [Fact]
    public void A_job_gets_Kubernetes_defaults_and_a_selector_on_its_own_uid()
    {
        var spec = NewJob("pi", completions: null, parallelism: null);
        spec.Spec.BackoffLimit = null;
        var job = CreateJob(spec);
        Assert.Equal((1, 1, 6, "NonIndexed", false, "TerminatingOrFailed"),
            (job.Spec.Completions, job.Spec.Parallelism, job.Spec.BackoffLimit, job.Spec.CompletionMode, job.Spec.Suspend, job.Spec.PodReplacementPolicy));
        Assert.Equal(new Dictionary<string, string> { ["batch.kubernetes.io/controller-uid"] = job.Metadata.Uid }, job.Spec.Selector.MatchLabels);
        var labels = job.Spec.Template.Metadata.Labels;
        Assert.Equal((job.Metadata.Uid, job.Metadata.Uid, "pi", "pi"),
            (labels["batch.kubernetes.io/controller-uid"], labels["controller-uid"], labels["batch.kubernetes.io/job-name"], labels["job-name"]));
        Assert.Null(job.Spec.ManualSelector);
    }

    [Fact]
    public void Refuses_what_Kubernetes_refuses_with_its_messages()
    {
        var always = NewJob("always", restartPolicy: "Always");
        Assert.Contains("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"", Refusal(always));

        var indexed = NewJob("indexed", completions: null, parallelism: 3, completionMode: "Indexed");
        Assert.Contains("spec.completions: Required value: when completion mode is Indexed", Refusal(indexed));

        var selector = NewJob("chosen");
        selector.Spec.Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "x" } };
        Assert.Contains("`selector` not auto-generated", Refusal(selector));

        var perIndex = NewJob("per-index");
        perIndex.Spec.BackoffLimitPerIndex = 1;
        Assert.Contains("spec.backoffLimitPerIndex: Forbidden: requires indexed completion mode", Refusal(perIndex));

        var negative = NewJob("negative", backoffLimit: -1);
        Assert.Contains("spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0", Refusal(negative));
    }

    [Fact]
    public void The_template_of_a_started_job_is_immutable()
    {
        CreateJob(NewJob("fixed"));
        var job = JobNamed("fixed");
        job.Spec.Template.Spec.Containers[0].Image = "perl:5.36";
        var result = Await(Api.Update(job));
        Assert.Equal(422, result.Error?.Code);
        Assert.Contains("spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable", result.Error!.Message);
    }

    [Fact]
    public void Refuses_bad_cron_jobs_with_Kubernetes_messages()
    {
        V1CronJob Cron(string name, string schedule, string? zone = null) => new()
        {
            ApiVersion = "batch/v1",
            Kind = "CronJob",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1CronJobSpec
            {
                Schedule = schedule,
                TimeZone = zone,
                JobTemplate = new V1JobTemplateSpec { Spec = NewJob(name).Spec },
            },
        };
        Assert.Contains("spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61", Refusal(Cron("minute", "61 * * * *")));
        Assert.Contains("spec.schedule: Invalid value: \"* * * *\": expected exactly 5 fields, found 4: [* * * *]", Refusal(Cron("fields", "* * * *")));
        Assert.Contains("spec.schedule: Invalid value: \"@fortnightly\": unrecognized descriptor: @fortnightly", Refusal(Cron("macro", "@fortnightly")));
        Assert.Contains("spec.schedule: Invalid value: \"CRON_TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            Refusal(Cron("tz", "CRON_TZ=UTC 0 * * * *")));
        Assert.Contains("spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus", Refusal(Cron("zone", "0 * * * *", "Mars/Olympus")));
        var longName = new string('a', 53);
        Assert.Contains($"metadata.name: Invalid value: \"{longName}\": must be no more than 52 characters", Refusal(Cron(longName, "0 * * * *")));

        foreach (var ok in new[] { "@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually", "@every 90s", "*/5 9-17 * JAN-MAR MON-FRI" })
            Assert.True(Await(Api.Create(Cron("ok-" + Math.Abs(ok.GetHashCode()), ok))).Ok, ok);
        var defaulted = Await(Api.Create(Cron("defaults", "0 0 * * *", "Europe/Paris"))).Object;
        Assert.Equal(("Allow", false, 3, 1), (defaulted.Spec.ConcurrencyPolicy, defaulted.Spec.Suspend, defaulted.Spec.SuccessfulJobsHistoryLimit, defaulted.Spec.FailedJobsHistoryLimit));
    }
}
