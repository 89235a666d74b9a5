using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Job;
using k8s.Models;

namespace Akka.KubeEmu.Tests.Controllers.Job;

/// <summary>
/// The Job controller on its own against a real Store, in virtual time (see <see cref="ControllerSpecBase"/>):
/// the specs play the scheduler and the kubelet (binding pods, running them, ending them with exit codes).
/// </summary>
public abstract class JobTestBase : ControllerSpecBase
{
    protected Manager StartJobController() => StartController(context => JobController.Props(context, Timing));

    protected static V1Job NewJob(string name, int? completions = 1, int? parallelism = 1, string restartPolicy = "Never",
        string? completionMode = null, int? backoffLimit = null) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = parallelism,
            CompletionMode = completionMode,
            BackoffLimit = backoffLimit,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    RestartPolicy = restartPolicy,
                    Containers = [new V1Container { Name = "pi", Image = "perl:5.34.0", Command = ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"] }],
                },
            },
        },
    };

    protected V1Job CreateJob(V1Job job) => Await(Api.Create(job)).Object;

    protected V1Job JobNamed(string name) => Await(Api.Get<V1Job>("default", name)).Object;

    protected V1Job UpdateJob(string name, Action<V1Job> change)
    {
        for (var attempt = 0; ; attempt++)
        {
            var job = JobNamed(name);
            change(job);
            var result = Await(Api.Update(job));
            if (!result.IsConflict || attempt > 10) return result.Object;
        }
    }

    protected IReadOnlyList<V1Pod> PodsOf(V1Job job) =>
        AllPods().Where(p => KubeModels.ControllerOf(p)?.Uid == job.Metadata.Uid).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToArray();

    protected IReadOnlyList<V1Pod> ActivePodsOf(V1Job job) =>
        PodsOf(job).Where(p => p.Status?.Phase is not ("Succeeded" or "Failed") && p.Metadata.DeletionTimestamp is null).ToArray();

    protected IReadOnlyList<V1Pod> WaitForActivePods(V1Job job, int count, string? what = null) =>
        Eventually(() => ActivePodsOf(job) is { } pods && pods.Count == count ? pods : null, Budget, what ?? $"{count} active pods of {job.Metadata.Name}");

    protected V1Job WaitForJob(string name, Func<V1Job, bool> condition, string what, TimeSpan? within = null, TimeSpan? step = null) =>
        Eventually(() => JobNamed(name) is { } job && condition(job) ? job : null, within ?? Budget, what, step);

    protected static V1JobCondition? ConditionOf(V1Job job, string type) => job.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    protected static bool Has(V1Job job, string type) => ConditionOf(job, type)?.Status == "True";

    /// <summary>The kubelet's part: the pod's only container ends with <paramref name="exitCode"/>, the pod Succeeded or Failed.</summary>
    protected void Finish(string pod, int exitCode, string container = "pi")
    {
        for (var attempt = 0; ; attempt++)
        {
            var p = PodNamed(pod);
            var now = Time.GetUtcNow().UtcDateTime;
            p.Status.Phase = exitCode == 0 ? "Succeeded" : "Failed";
            p.Status.ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = container, Image = "perl:5.34.0", ImageID = "", Ready = false, RestartCount = 0,
                    State = new V1ContainerState
                    {
                        Terminated = new V1ContainerStateTerminated
                        {
                            ExitCode = exitCode, Reason = exitCode == 0 ? "Completed" : "Error", StartedAt = now.AddSeconds(-3), FinishedAt = now,
                        },
                    },
                },
            ];
            var result = Await(Api.UpdateStatus(p));
            if (!result.IsConflict || attempt > 10)
            {
                _ = result.Object;
                return;
            }
        }
    }

    /// <summary>The kubelet's part under restartPolicy OnFailure: the container was restarted <paramref name="restarts"/> times.</summary>
    protected void Restarted(string pod, int restarts)
    {
        var p = PodNamed(pod);
        p.Status.Phase = "Running";
        p.Status.ContainerStatuses =
        [
            new V1ContainerStatus
            {
                Name = "pi", Image = "perl:5.34.0", ImageID = "", Ready = true, RestartCount = restarts,
                State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = Time.GetUtcNow().UtcDateTime } },
            },
        ];
        _ = Await(Api.UpdateStatus(p)).Object;
    }
}
