using Akka.KubeEmu.Actors.Controllers.TtlAfterFinished;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.Job;

/// <summary>The TTL-after-finished controller on its own: the specs finish Jobs as the Job controller would.</summary>
public sealed class TtlAfterFinishedControllerSpecs : JobTestBase
{
    private void Complete(string name)
    {
        var job = JobNamed(name);
        var now = Time.GetUtcNow().UtcDateTime;
        now = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        job.Status.StartTime = now;
        job.Status.CompletionTime = now;
        job.Status.Succeeded = 1;
        job.Status.Conditions = [new V1JobCondition { Type = "Complete", Status = "True", Reason = "CompletionsReached", LastTransitionTime = now }];
        _ = Await(Api.UpdateStatus(job)).Object;
    }

    [Fact]
    public void Deletes_a_finished_job_its_ttl_after_completion_and_leaves_the_others()
    {
        StartController(context => TtlAfterFinishedController.Props(context));
        var spec = NewJob("short");
        spec.Spec.TtlSecondsAfterFinished = 100;
        CreateJob(spec);
        CreateJob(NewJob("kept"));
        var running = NewJob("running");
        running.Spec.TtlSecondsAfterFinished = 0;
        CreateJob(running);

        Complete("short");
        Complete("kept");
        var finished = Time.GetUtcNow();
        Eventually(() => Await(Api.Get<V1Job>("default", "short")).IsNotFound, Budget, "short deleted", TimeSpan.FromSeconds(1));
        Assert.InRange((Time.GetUtcNow() - finished).TotalSeconds, 99, 130);
        Assert.True(Await(Api.Get<V1Job>("default", "kept")).Ok);
        Assert.True(Await(Api.Get<V1Job>("default", "running")).Ok, "a Job that has not finished stays, whatever its TTL");
    }
}
