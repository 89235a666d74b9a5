using System.Globalization;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Batch;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>pkg/apis/batch/validation for CronJobs (ValidateCronJobCreate/Update, validateScheduleFormat, validateTimeZone).</summary>
public static class CronJobValidation
{
    private static readonly string[] ConcurrencyPolicies = ["Allow", "Forbid", "Replace"];

    /// <summary>A CronJob's name leaves room for the 11 characters of its Jobs' suffix in a DNS-1035 label.</summary>
    public const int MaxNameLength = 52;

    public static void CronJob(JsonObject cronJob, List<FieldError> errors, JsonObject? old = null)
    {
        var name = KubeObject.Name(cronJob);
        if (old is null && name.Length > MaxNameLength)
            errors.Add(FieldError.Invalid("metadata.name", name, $"must be no more than {MaxNameLength} characters"));
        if (cronJob["spec"] is not JsonObject spec)
        {
            errors.Add(FieldError.RequiredValue("spec"));
            return;
        }
        var schedule = KubeObject.String(spec, "schedule");
        var timeZone = spec["timeZone"] is null ? null : KubeObject.String(spec, "timeZone") ?? "";
        if (string.IsNullOrEmpty(schedule)) errors.Add(FieldError.RequiredValue("spec.schedule"));
        else
        {
            var (_, error) = CronSchedule.Parse(schedule);
            if (error is not null) errors.Add(FieldError.Invalid("spec.schedule", schedule, error));
            // An existing schedule with TZ may stay; a new one must use the timeZone field.
            var allowTz = old is not null && (KubeObject.ScalarAt(old, "spec.schedule") ?? "").Contains("TZ", StringComparison.Ordinal);
            if (schedule.Contains("TZ", StringComparison.Ordinal))
            {
                if (allowTz && timeZone is not null)
                    errors.Add(FieldError.Invalid("spec.schedule", schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
                else if (!allowTz)
                    errors.Add(FieldError.Invalid("spec.schedule", schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
            }
        }
        if (timeZone is not null)
        {
            if (timeZone.Length == 0) errors.Add(FieldError.Invalid("spec.timeZone", timeZone, "timeZone must be nil or non-empty string"));
            else if (timeZone.Equals("Local", StringComparison.OrdinalIgnoreCase))
                errors.Add(FieldError.Invalid("spec.timeZone", timeZone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
            else if (CronZones.Find(timeZone) is null)
                errors.Add(FieldError.Invalid("spec.timeZone", timeZone, $"unknown time zone {timeZone}"));
        }
        var policy = KubeObject.String(spec, "concurrencyPolicy");
        if (string.IsNullOrEmpty(policy)) errors.Add(FieldError.RequiredValue("spec.concurrencyPolicy"));
        else if (!ConcurrencyPolicies.Contains(policy)) errors.Add(FieldError.Unsupported("spec.concurrencyPolicy", policy, ConcurrencyPolicies));
        foreach (var field in new[] { "startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit" })
            if (KubeObject.Long(spec[field]) is { } n && n < 0)
                errors.Add(FieldError.InvalidRaw($"spec.{field}", n.ToString(CultureInfo.InvariantCulture), "must be greater than or equal to 0"));
        if (KubeObject.At(spec, "jobTemplate.metadata.labels") is { } labels)
            ObjectMetaValidation.Labels(labels, "spec.jobTemplate.metadata.labels", errors);
        if (KubeObject.At(spec, "jobTemplate.spec") is JsonObject jobSpec) JobValidation.Spec(jobSpec, "spec.jobTemplate.spec", errors, isTemplate: true);
        else errors.Add(FieldError.RequiredValue("spec.jobTemplate.spec.template"));
    }
}
