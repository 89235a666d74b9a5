using System.Collections.Concurrent;
using System.Globalization;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using Akka.KubeEmu.Actors.Events;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Job;

public sealed partial class JobController
{
    /// <summary>
    /// manageJob: deletes the pods of a suspended Job and those beyond what is wanted, creates the
    /// missing ones (after the back-off, with their completion indexes). Returns the first error.
    /// </summary>
    private async Task<Exception?> Manage(JobContext ctx, JobBackoff.Record record, int succeeded,
        CompletedIndexes succeededIndexes, CompletedIndexes failedIndexes)
    {
        var job = ctx.Job;
        if (ctx.Suspended) return await DeleteActivePods(ctx, ctx.Active);

        var completions = ctx.Completions ?? 0;
        var active = ctx.Active;
        Exception? error = null;
        if (ctx.Indexed)
        {
            // Pods of an index that already succeeded or failed, or a second pod of one index, are surplus.
            var seen = new HashSet<int>();
            var surplus = active.OrderBy(p => PodStates.IsReady(p)).ThenBy(p => p.Metadata.CreationTimestamp)
                .Where(p => JobPods.CompletionIndex(p, completions) is not { } i || succeededIndexes.Contains(i) || failedIndexes.Contains(i) || !seen.Add(i))
                .ToList();
            if (surplus.Count > 0)
            {
                error = await DeleteActivePods(ctx, surplus);
                active = ctx.Active;
            }
        }

        var wantActive = WantActive(ctx, succeeded, succeededIndexes, failedIndexes);
        if (active.Count > wantActive)
        {
            var doomed = RemovalOrder(active).Take(Math.Min(active.Count - wantActive, BurstPods)).ToList();
            return await DeleteActivePods(ctx, doomed) ?? error;
        }
        var diff = wantActive - active.Count;
        // podReplacementPolicy Failed: a replacement waits until the pod it replaces is gone.
        if (job.Spec.PodReplacementPolicy == "Failed") diff -= ctx.Terminating;
        if (diff <= 0) return error;

        var now = Time.GetUtcNow();
        var remaining = _backoff.Remaining(record, now);
        if (!ctx.PerIndex && remaining > TimeSpan.Zero)
        {
            ctx.Later(remaining);
            return error;
        }
        diff = Math.Min(diff, BurstPods);
        var indexes = ctx.Indexed ? PendingIndexes(ctx, diff, active, succeededIndexes, failedIndexes, now) : null;
        if (indexes is not null) diff = indexes.Count;
        if (diff <= 0) return error;

        var key = ctx.Key;
        _expectations.ExpectCreations(key, diff);
        var next = indexes is null ? null : new ConcurrentQueue<(int Index, int Failures)>(indexes);
        var (successes, createError) = await SlowStart.Batch(diff, 1, () =>
        {
            (int Index, int Failures)? index = next is not null && next.TryDequeue(out var i) ? i : null;
            return CreatePod(job, index);
        });
        if (diff - successes > 0) _expectations.LowerExpectations(key, diff - successes, 0);
        return createError ?? error;
    }

    /// <summary>How many pods should run: parallelism, no more than the completions still missing.</summary>
    private static int WantActive(JobContext ctx, int succeeded, CompletedIndexes succeededIndexes, CompletedIndexes failedIndexes)
    {
        var parallelism = ctx.Parallelism;
        if (ctx.Indexed)
            return Math.Max(0, Math.Min(parallelism, (ctx.Completions ?? 0) - succeededIndexes.Count - failedIndexes.Values.Count(i => !succeededIndexes.Contains(i))));
        if (ctx.Completions is not { } completions) return succeeded > 0 ? ctx.Active.Count : parallelism;
        return Math.Max(0, Math.Min(parallelism, completions - succeeded));
    }

    /// <summary>
    /// firstPendingIndexes: the lowest indexes neither done nor running, each with its failure count
    /// (backoffLimitPerIndex); an index still in its own back-off is left for later.
    /// </summary>
    private List<(int Index, int Failures)> PendingIndexes(JobContext ctx, int count, List<V1Pod> active,
        CompletedIndexes succeededIndexes, CompletedIndexes failedIndexes, DateTimeOffset now)
    {
        var completions = ctx.Completions ?? 0;
        var running = active.Select(p => JobPods.CompletionIndex(p, completions)).OfType<int>().ToHashSet();
        // Per index: how often it failed (the highest count a failed pod carries, plus its own failure) and when it last did.
        var failures = new Dictionary<int, (int Count, DateTimeOffset Last)>();
        if (ctx.PerIndex)
            foreach (var pod in ctx.Pods.Where(p => p.Status?.Phase == "Failed" || KubeModels.IsDeleting(p) && p.Status?.Phase != "Succeeded"))
            {
                if (JobPods.CompletionIndex(pod, completions) is not { } index) continue;
                var failedCount = JobPods.IndexFailureCount(pod) + 1;
                var at = JobPods.FinishedAt(pod, now);
                if (!failures.TryGetValue(index, out var f) || failedCount > f.Count || failedCount == f.Count && at > f.Last) failures[index] = (failedCount, at);
            }
        var result = new List<(int, int)>();
        for (var i = 0; i < completions && result.Count < count; i++)
        {
            if (succeededIndexes.Contains(i) || failedIndexes.Contains(i) || running.Contains(i)) continue;
            var failed = failures.TryGetValue(i, out var f) ? f : (0, now);
            if (failed.Item1 > 0)
            {
                var wait = _backoff.Remaining(failed.Item1, failed.Item2, now);
                if (wait > TimeSpan.Zero)
                {
                    ctx.Later(wait);
                    continue;
                }
            }
            result.Add((i, failed.Item1));
        }
        if (!ctx.PerIndex)
        {
            var wait = _backoff.Remaining(_backoff.Get(ctx.Key), now);
            if (wait > TimeSpan.Zero)
            {
                ctx.Later(wait);
                return [];
            }
        }
        return result;
    }

    /// <summary>activePodsForRemoval: unscheduled, then pending, then not ready, then the youngest first.</summary>
    private static IEnumerable<V1Pod> RemovalOrder(IEnumerable<V1Pod> pods) =>
        pods.OrderBy(p => string.IsNullOrEmpty(p.Spec?.NodeName) ? 0 : 1)
            .ThenBy(p => p.Status?.Phase switch { "Pending" => 0, "Unknown" => 1, _ => 2 })
            .ThenBy(p => PodStates.IsReady(p) ? 1 : 0)
            .ThenByDescending(p => p.Metadata.CreationTimestamp);

    /// <summary>The pods of the Job are deleted (the kubelet stops them); they are counted once terminal.</summary>
    private async Task<Exception?> DeleteActivePods(JobContext ctx, List<V1Pod> pods)
    {
        if (pods.Count == 0) return null;
        pods = pods.Take(BurstPods).ToList();
        _expectations.ExpectDeletions(ctx.Key, pods.Select(p => KubeModels.Key(p)).ToArray());
        var errors = await Task.WhenAll(pods.Select(pod => DeleteJobPod(ctx, pod)));
        var deleted = pods.Where((_, i) => errors[i] is null).ToHashSet();
        ctx.Active = ctx.Active.Where(p => !deleted.Contains(p)).ToList();
        ctx.Terminating += deleted.Count(p => !string.IsNullOrEmpty(p.Spec?.NodeName));
        return errors.FirstOrDefault(e => e is not null);
    }

    private async Task<Exception?> DeleteJobPod(JobContext ctx, V1Pod pod)
    {
        var outcome = await PodControl.Delete(Api, Recorder, ctx.Job, pod.Metadata.NamespaceProperty ?? "", pod.Metadata.Name);
        if (!outcome.Deleted) _expectations.DeletionObserved(ctx.Key, KubeModels.Key(pod));
        return outcome.Error;
    }

    /// <summary>
    /// The pod of a Job: its template, the tracking finalizer, and for an Indexed Job the completion
    /// index (annotation, label, JOB_COMPLETION_INDEX, hostname &lt;job&gt;-&lt;index&gt;, name &lt;job&gt;-&lt;index&gt;-xxxxx).
    /// </summary>
    private async Task CreatePod(V1Job job, (int Index, int Failures)? index)
    {
        var name = job.Metadata.Name;
        var prefix = index is { } ix ? $"{name}-{ix.Index.ToString(CultureInfo.InvariantCulture)}" : name;
        var pod = PodTemplates.PodFrom(job.Spec.Template ?? new V1PodTemplateSpec(), job.Metadata.NamespaceProperty ?? "", prefix,
            ControllerRefs.For(job, "batch/v1", "Job"));
        var finalizers = pod.Metadata.Finalizers ??= [];
        if (!finalizers.Contains(JobPods.TrackingFinalizer)) finalizers.Add(JobPods.TrackingFinalizer);
        if (index is { } i)
        {
            var text = i.Index.ToString(CultureInfo.InvariantCulture);
            (pod.Metadata.Annotations ??= new Dictionary<string, string>())[JobPods.CompletionIndexAnnotation] = text;
            (pod.Metadata.Labels ??= new Dictionary<string, string>())[JobPods.CompletionIndexAnnotation] = text;
            if (job.Spec.BackoffLimitPerIndex is not null)
                pod.Metadata.Annotations[JobPods.IndexFailureCountAnnotation] = i.Failures.ToString(CultureInfo.InvariantCulture);
            if (string.IsNullOrEmpty(pod.Spec.Hostname)) pod.Spec.Hostname = $"{name}-{text}";
            foreach (var container in (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []))
            {
                var env = container.Env ??= [];
                if (env.Any(e => e.Name == JobPods.CompletionIndexEnv)) continue;
                env.Add(new V1EnvVar
                {
                    Name = JobPods.CompletionIndexEnv,
                    ValueFrom = new V1EnvVarSource
                    {
                        FieldRef = new V1ObjectFieldSelector { FieldPath = $"metadata.annotations['{JobPods.CompletionIndexAnnotation}']" },
                    },
                });
            }
        }
        await PodControl.Create(Api, Recorder, job, pod);
    }
}
