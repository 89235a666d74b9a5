using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Validation;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>
/// The eviction subresource of pods (pkg/registry/core/pod/storage/eviction.go): a delete that
/// honours the pod's PodDisruptionBudget. A pod that is Pending, terminal or already being deleted
/// is deleted without looking at budgets; otherwise the one budget selecting the pod must allow a
/// disruption, which is taken from it (disruptionsAllowed decremented, the pod noted in
/// disruptedPods, under the budget's resourceVersion) before the pod is deleted. A budget that
/// forbids answers 429, which clients such as `kubectl drain` retry.
/// </summary>
public sealed class EvictionREST(RestStorage storage, TimeProvider time)
{
    /// <summary>EvictionsRetry: attempts at a conflicting write before giving up.</summary>
    private const int Retries = 5;

    /// <summary>MaxDisruptedPodSize: evictions the disruption controller has not confirmed yet.</summary>
    public const int MaxDisruptedPodSize = 2000;

    public const string ViolationMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

    public const string MultipleBudgetsMessage = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";

    private static ResourceType Pods => ResourceCatalog.Pods;

    public async Task<RestResult> Create(string ns, string name, JsonObject eviction, WriteOptions options)
    {
        if (CheckTypeMeta(eviction) is { } typeError) return RestResult.Fail(typeError);
        if (KubeObject.Namespace(eviction) is { Length: > 0 } bodyNs && bodyNs != ns)
            return RestResult.Fail(ApiStatus.BadRequest("the namespace of the provided object does not match the namespace sent on the request"));
        if (KubeObject.Name(eviction) != name)
            return RestResult.Fail(ApiStatus.BadRequest("name in URL does not match name in Eviction object"));
        var deleteOptions = DeleteOptions(eviction["deleteOptions"] as JsonObject, options.DryRun);
        if (RestStorage.ValidateDeleteOptions(deleteOptions) is { } invalid) return RestResult.Fail(invalid);

        JsonObject pod;
        var attempt = 0;
        while (true)
        {
            var read = await storage.Get(Pods, ns, name);
            if (read.IsError) return read;
            pod = KubeObject.Parse(read.Body!.Utf8);
            if (!CanIgnoreBudget(pod)) break;
            // Already disrupted (or never running): delete it, as long as it is the pod just looked at.
            var direct = await DeletePod(pod, deleteOptions with
            {
                PreconditionResourceVersion = deleteOptions.PreconditionResourceVersion ?? KubeObject.ResourceVersion(pod),
            });
            if (direct.Error is { Code: 409 } && deleteOptions.PreconditionResourceVersion is null && ++attempt < Retries) continue;
            return direct.IsError ? direct : Success();
        }

        var budgets = await Budgets(pod);
        if (budgets.Error is not null) return RestResult.Fail(budgets.Error);
        if (budgets.Matching.Count > 1) return RestResult.Fail(new ApiStatus(500, "", MultipleBudgetsMessage));

        var pinPod = false;
        string? budgetName = null;
        if (budgets.Matching.Count == 1)
        {
            var pdb = budgets.Matching[0];
            budgetName = KubeObject.Name(pdb);
            if (!PodReady(pod) && UnhealthyMayGo(pdb)) pinPod = true;
            else if (await TakeDisruption(ns, KubeObject.Name(pod), pdb, deleteOptions.DryRun) is { } refused) return RestResult.Fail(refused);
        }

        // An unready pod evicted without taking from the budget must still be the pod judged unready.
        var request = pinPod && deleteOptions.PreconditionResourceVersion is null
            ? deleteOptions with { PreconditionResourceVersion = KubeObject.ResourceVersion(pod) }
            : deleteOptions;
        var deleted = await DeletePod(pod, request);
        if (deleted.Error is { Code: 409 } && pinPod && deleteOptions.PreconditionResourceVersion is null)
            return RestResult.Fail(TooManyRequests(budgetName!, $"The disruption budget {budgetName} is still being processed by the server."));
        return deleted.IsError ? deleted : Success();
    }

    /// <summary>canIgnorePDB: a pod that is Pending, Succeeded, Failed or being deleted disrupts nothing more.</summary>
    public static bool CanIgnoreBudget(JsonObject pod) =>
        KubeObject.ScalarAt(pod, "status.phase") is "Succeeded" or "Failed" or "Pending"
        || KubeObject.At(pod, "metadata.deletionTimestamp") is not null;

    /// <summary>
    /// An unready pod goes without taking from the budget when the budget says AlwaysAllow, or
    /// (IfHealthyBudget, the default) when the budget is healthy anyway.
    /// </summary>
    private static bool UnhealthyMayGo(JsonObject pdb)
    {
        if (KubeObject.ScalarAt(pdb, "spec.unhealthyPodEvictionPolicy") == PodDisruptionBudgetValidation.AlwaysAllow) return true;
        var current = KubeObject.Long(KubeObject.At(pdb, "status.currentHealthy")) ?? 0;
        var desired = KubeObject.Long(KubeObject.At(pdb, "status.desiredHealthy")) ?? 0;
        return current >= desired && desired > 0;
    }

    /// <summary>
    /// checkAndDecrement under RetryOnConflict: the budget must be observed by the controller at its
    /// generation, allow a disruption, and not hold too many unconfirmed ones; then the decrement is
    /// written through the status subresource with the budget's resourceVersion.
    /// </summary>
    private async Task<ApiStatus?> TakeDisruption(string ns, string podName, JsonObject pdb, bool dryRun)
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = KubeObject.Name(pdb);
            var generation = KubeObject.Long(KubeObject.At(pdb, "metadata.generation")) ?? 0;
            var observed = KubeObject.Long(KubeObject.At(pdb, "status.observedGeneration")) ?? 0;
            if (observed < generation) return TooManyRequests(name, $"The disruption budget {name} is still being processed by the server.");
            var allowed = KubeObject.Long(KubeObject.At(pdb, "status.disruptionsAllowed")) ?? 0;
            if (allowed < 0) return Forbidden(name, "pdb disruptions allowed is negative");
            if ((KubeObject.At(pdb, "status.disruptedPods") as JsonObject)?.Count > MaxDisruptedPodSize)
                return Forbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
            if (allowed == 0)
            {
                var desired = KubeObject.Long(KubeObject.At(pdb, "status.desiredHealthy")) ?? 0;
                var current = KubeObject.Long(KubeObject.At(pdb, "status.currentHealthy")) ?? 0;
                return TooManyRequests(name, $"The disruption budget {name} needs {desired} healthy pods and has {current} currently");
            }
            if (dryRun) return null;

            var status = KubeObject.EnsureObject(pdb, "status");
            status["disruptionsAllowed"] = allowed - 1;
            if (allowed - 1 == 0) DisruptionAllowedCondition.Update(pdb, time.GetUtcNow());
            var disrupted = status["disruptedPods"] as JsonObject ?? new JsonObject();
            disrupted[podName] = KubeObject.Timestamp(time.GetUtcNow());
            status["disruptedPods"] = disrupted;
            var written = await storage.Update(ResourceCatalog.PodDisruptionBudgets, ns, name, "status", pdb, WriteOptions.Default);
            if (written.Error is not { Code: 409 }) return written.Error;
            if (attempt + 1 >= Retries)
                return ApiStatus.Timeout($"couldn't update PodDisruptionBudget \"{name}\" due to conflicts") with
                {
                    Details = new StatusDetails(RetryAfterSeconds: 10),
                };
            var fresh = await storage.Get(ResourceCatalog.PodDisruptionBudgets, ns, name);
            if (fresh.IsError) return fresh.Error;
            pdb = KubeObject.Parse(fresh.Body!.Utf8);
        }
    }

    /// <summary>
    /// addConditionAndDeletePod: the pod is told why it goes (DisruptionTarget, EvictionByEvictionAPI)
    /// before it is deleted with the eviction's options.
    /// </summary>
    private async Task<RestResult> DeletePod(JsonObject pod, DeleteRequest request)
    {
        var ns = KubeObject.Namespace(pod);
        var name = KubeObject.Name(pod);
        if (!request.DryRun && KubeObject.At(pod, "metadata.deletionTimestamp") is null && !HasDisruptionTarget(pod))
        {
            var copy = pod.DeepClone().AsObject();
            PodConditions.Set(copy, "DisruptionTarget", "True", "EvictionByEvictionAPI", "Eviction API: evicting", time.GetUtcNow());
            var marked = await storage.Update(Pods, ns, name, "status", copy, WriteOptions.Default);
            // The delete's own preconditions decide what a changed pod means.
            if (marked.IsError && marked.Error!.Code != 409) return marked;
            if (!marked.IsError && request.PreconditionResourceVersion == KubeObject.ResourceVersion(pod))
                request = request with { PreconditionResourceVersion = KubeObject.ResourceVersion(KubeObject.Parse(marked.Body!.Utf8)) };
        }
        return await storage.Delete(Pods, ns, name, request);
    }

    private static bool HasDisruptionTarget(JsonObject pod) =>
        (KubeObject.At(pod, "status.conditions") as JsonArray)?.OfType<JsonObject>()
        .Any(c => KubeObject.String(c, "type") == "DisruptionTarget" && KubeObject.String(c, "status") == "True") == true;

    /// <summary>getPodDisruptionBudgets: the budgets of the pod's namespace whose non-empty selector matches its labels.</summary>
    private async Task<(IReadOnlyList<JsonObject> Matching, ApiStatus? Error)> Budgets(JsonObject pod)
    {
        var (list, error) = await storage.List(ResourceCatalog.PodDisruptionBudgets, KubeObject.Namespace(pod), null, null, 0, null);
        if (list is null) return ([], error);
        var labels = KubeObject.Labels(pod);
        var matching = new List<JsonObject>();
        foreach (var raw in list.Items)
        {
            var pdb = KubeObject.Parse(raw.Utf8);
            // A budget with a nil or empty selector matches nothing, not everything.
            var selectorErrors = new List<FieldError>();
            if (!LabelSelectorValidation.Validate(KubeObject.At(pdb, "spec.selector"), "spec.selector", selectorErrors)) continue;
            if (LabelSelectorValidation.AsSelector(KubeObject.At(pdb, "spec.selector")) is not { IsEmpty: false } selector) continue;
            if (selector.Matches(labels)) matching.Add(pdb);
        }
        return (matching, null);
    }

    public static bool PodReady(JsonObject pod) =>
        (KubeObject.At(pod, "status.conditions") as JsonArray)?.OfType<JsonObject>()
        .Any(c => KubeObject.String(c, "type") == "Ready" && KubeObject.String(c, "status") == "True") == true;

    /// <summary>errors.NewTooManyRequests(..., 0) with the DisruptionBudget cause.</summary>
    public static ApiStatus TooManyRequests(string budget, string cause) =>
        new(429, "TooManyRequests", ViolationMessage,
            new StatusDetails(Causes: [new StatusCause("DisruptionBudget", cause, "")]));

    private static ApiStatus Forbidden(string budget, string reason) =>
        new(403, "Forbidden", $"poddisruptionbudget.policy \"{budget}\" is forbidden: {reason}",
            new StatusDetails(budget, "policy", "poddisruptionbudget"));

    /// <summary>The Success Status the eviction answers with (201, as a create does).</summary>
    private static RestResult Success() => RestResult.Ok(new JsonObject
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201,
    }, 201);

    /// <summary>policy/v1 and the deprecated policy/v1beta1 bodies are both accepted.</summary>
    private static ApiStatus? CheckTypeMeta(JsonObject eviction) =>
        KubeObject.ApiVersion(eviction) == "policy/v1beta1"
            ? RestStorage.CheckTypeMeta("policy", "v1beta1", "Eviction", eviction)
            : RestStorage.CheckTypeMeta("policy", "v1", "Eviction", eviction);

    /// <summary>The eviction's DeleteOptions; a dryRun of the request applies to it (propagateDryRun).</summary>
    public static DeleteRequest DeleteOptions(JsonObject? options, bool requestDryRun)
    {
        var propagation = KubeObject.String(options, "propagationPolicy");
        bool? orphan = KubeObject.ScalarAt(options, "orphanDependents") is { } o ? o == "true" : null;
        return new DeleteRequest(KubeObject.Long(options?["gracePeriodSeconds"]),
            string.IsNullOrEmpty(propagation) ? null : propagation,
            KubeObject.ScalarAt(options, "preconditions.uid"), KubeObject.ScalarAt(options, "preconditions.resourceVersion"),
            requestDryRun || options?["dryRun"] is JsonArray { Count: > 0 }, orphan);
    }
}
