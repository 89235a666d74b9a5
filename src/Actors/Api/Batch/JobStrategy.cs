using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Batch;

/// <summary>
/// pkg/registry/batch/job's strategy: unless spec.manualSelector is true, the API server labels the
/// pod template with the Job's name and uid (batch.kubernetes.io/ and legacy keys) and selects on
/// batch.kubernetes.io/controller-uid (generateSelector). The uid is the one the object is stored with.
/// </summary>
public static class JobStrategy
{
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    public const string LegacyControllerUidLabel = "controller-uid";
    public const string LegacyJobNameLabel = "job-name";

    public static void PrepareForCreate(JsonObject job)
    {
        var meta = KubeObject.Metadata(job);
        // FillObjectMetaSystemFields comes before the strategy in kube-apiserver: the selector needs the uid.
        if (string.IsNullOrEmpty(KubeObject.String(meta, "uid"))) meta["uid"] = Uids.New();
        if (job["spec"] is not JsonObject spec || KubeObject.At(spec, "manualSelector")?.GetValueKind() == System.Text.Json.JsonValueKind.True) return;
        var uid = KubeObject.String(meta, "uid")!;
        var name = KubeObject.Name(job);
        var template = KubeObject.EnsureObject(spec, "template");
        var labels = KubeObject.EnsureObject(KubeObject.EnsureObject(template, "metadata"), "labels");
        // Labels the user set are kept: a conflict is refused by validation.
        foreach (var key in new[] { LegacyJobNameLabel, JobNameLabel })
            labels[key] ??= name;
        foreach (var key in new[] { LegacyControllerUidLabel, ControllerUidLabel })
            labels[key] ??= uid;
        var selector = KubeObject.EnsureObject(spec, "selector");
        var matchLabels = KubeObject.EnsureObject(selector, "matchLabels");
        matchLabels[ControllerUidLabel] ??= uid;
    }
}
