using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Controllers.Disruption;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.Disruption;

/// <summary>
/// The disruption controller against a real Store in virtual time. The specs play the workload
/// controllers' and the kubelet's parts: owners and pods are written directly, pods made Ready.
/// </summary>
public sealed class DisruptionControllerSpecs : ControllerSpecBase
{
    public DisruptionControllerSpecs()
    {
        CreateNamespace("default");
    }

    private void Start() => StartController(DisruptionController.Props);

    private V1PodDisruptionBudget CreateBudget(string name, string? minAvailable = null, string? maxUnavailable = null, string app = "web")
    {
        var pdb = new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1", Kind = "PodDisruptionBudget",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1PodDisruptionBudgetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
                MinAvailable = IntOrPercent(minAvailable),
                MaxUnavailable = IntOrPercent(maxUnavailable),
            },
        };
        return Await(Api.Create(pdb)).Object;
    }

    private static IntOrString? IntOrPercent(string? value) =>
        value is null ? null : int.TryParse(value, out var n) ? (IntOrString)n : (IntOrString)value;

    private V1PodDisruptionBudget Pdb(string name) => Await(Api.Get<V1PodDisruptionBudget>("default", name)).Object;

    /// <summary>A pod of app=web, owned by <paramref name="owner"/> when given, running and Ready (or not).</summary>
    private void WebPod(string name, bool ready = true, V1OwnerReference? owner = null, string app = "web")
    {
        var pod = new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = app },
                OwnerReferences = owner is null ? null : [owner],
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx" }] },
        };
        _ = Await(Api.Create(pod)).Object;
        Bind(name, "node-1");
        SetRunning(name, ready);
    }

    private static V1OwnerReference ControlledBy(string apiVersion, string kind, V1ObjectMeta meta) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = meta.Name, Uid = meta.Uid, Controller = true };

    private V1ReplicaSet CreateReplicaSet(string name, int replicas, V1OwnerReference? deployment = null) => Await(Api.Create(new V1ReplicaSet
    {
        ApiVersion = "apps/v1", Kind = "ReplicaSet",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", OwnerReferences = deployment is null ? null : [deployment] },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx" }] },
            },
        },
    })).Object;

    private V1Deployment CreateDeployment(string name, int replicas) => Await(Api.Create(new V1Deployment
    {
        ApiVersion = "apps/v1", Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx" }] },
            },
        },
    })).Object;

    /// <summary>Waits until the budget's status reads (currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed).</summary>
    private V1PodDisruptionBudget WaitForStatus(string name, int current, int desired, int expected, int allowed) =>
        Eventually(() =>
        {
            var pdb = Pdb(name);
            var s = pdb.Status;
            return s is not null && (s.CurrentHealthy, s.DesiredHealthy, s.ExpectedPods, s.DisruptionsAllowed) == (current, desired, expected, allowed)
                   && s.ObservedGeneration == pdb.Metadata.Generation ? pdb : null;
        }, Budget, $"{name} with status {current}/{desired}/{expected}/{allowed}", TimeSpan.FromMilliseconds(10));

    private static V1Condition Allowed(V1PodDisruptionBudget pdb) => pdb.Status.Conditions.Single(c => c.Type == "DisruptionAllowed");

    [Fact]
    public void An_integer_minAvailable_counts_the_selected_pods_and_allows_the_surplus()
    {
        Start();
        WebPod("web-1");
        WebPod("web-2");
        WebPod("web-3");
        WebPod("other", app: "other");
        CreateBudget("web-pdb", minAvailable: "2");

        var pdb = WaitForStatus("web-pdb", current: 3, desired: 2, expected: 3, allowed: 1);
        var condition = Allowed(pdb);
        Assert.Equal(("True", "SufficientPods", "", 1L), (condition.Status, condition.Reason, condition.Message, condition.ObservedGeneration));

        // One pod turns unready: nothing may be disrupted now.
        SetRunning("web-2", ready: false);
        pdb = WaitForStatus("web-pdb", current: 2, desired: 2, expected: 3, allowed: 0);
        Assert.Equal(("False", "InsufficientPods"), (Allowed(pdb).Status, Allowed(pdb).Reason));
    }

    [Fact]
    public void MaxUnavailable_takes_the_expected_pods_from_the_deployment_above_the_replica_set()
    {
        Start();
        var deployment = CreateDeployment("web", replicas: 3);
        var rs = CreateReplicaSet("web-abc", replicas: 2, ControlledBy("apps/v1", "Deployment", deployment.Metadata));
        WebPod("web-1", owner: ControlledBy("apps/v1", "ReplicaSet", rs.Metadata));
        WebPod("web-2", owner: ControlledBy("apps/v1", "ReplicaSet", rs.Metadata));
        CreateBudget("web-pdb", maxUnavailable: "1");

        // The Deployment wants 3: one short already, so no disruption is left.
        WaitForStatus("web-pdb", current: 2, desired: 2, expected: 3, allowed: 0);
    }

    [Fact]
    public void A_percentage_minAvailable_rounds_up_against_the_replica_sets_scale()
    {
        Start();
        var rs = CreateReplicaSet("web-rs", replicas: 3);
        foreach (var name in new[] { "a", "b", "c" }) WebPod(name, owner: ControlledBy("apps/v1", "ReplicaSet", rs.Metadata));
        CreateBudget("web-pdb", minAvailable: "50%");
        WaitForStatus("web-pdb", current: 3, desired: 2, expected: 3, allowed: 1);
    }

    [Fact]
    public void Bare_pods_under_a_maxUnavailable_budget_are_reported_as_unmanaged()
    {
        Start();
        WebPod("bare");
        CreateBudget("web-pdb", maxUnavailable: "1");
        WaitForStatus("web-pdb", current: 1, desired: 0, expected: 0, allowed: 0);
        // Every sync says it again (the correlator counts the repeats on one event).
        Eventually(() => EventCount("web-pdb", "UnmanagedPods") >= 1, Budget, "UnmanagedPods", TimeSpan.FromMilliseconds(10));
        Assert.StartsWith("Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged.",
            EventMessages("web-pdb", "UnmanagedPods").Single());
    }

    [Fact]
    public void Pods_of_a_controller_without_a_scale_fail_the_budget_safe_with_SyncFailed()
    {
        Start();
        WebPod("job-pod", owner: new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "j", Uid = "job-uid", Controller = true });
        CreateBudget("web-pdb", maxUnavailable: "1");

        var pdb = Eventually(() => Pdb("web-pdb") is { Status.Conditions: { } conditions } p
                                    && conditions.Any(c => c.Reason == "SyncFailed") ? p : null, Budget, "SyncFailed", TimeSpan.FromMilliseconds(10));
        Assert.Equal(("False", "found no controllers for pod \"job-pod\""), (Allowed(pdb).Status, Allowed(pdb).Message));
        Assert.Equal(0, pdb.Status.DisruptionsAllowed);
        Eventually(() => EventCount("web-pdb", "CalculateExpectedPodCountFailed") >= 1, Budget, "CalculateExpectedPodCountFailed", TimeSpan.FromMilliseconds(10));
        Assert.Equal("Failed to calculate the number of expected pods: found no controllers for pod \"job-pod\"", EventMessages("web-pdb", "CalculateExpectedPodCountFailed")[0]);
    }

    [Fact]
    public void A_budget_without_pods_says_so_in_an_event()
    {
        Start();
        CreateBudget("lonely", minAvailable: "1", app: "nothing");
        WaitForStatus("lonely", current: 0, desired: 1, expected: 0, allowed: 0);
        Assert.Equal("No matching pods found", EventMessages("lonely", "NoPods").First());
    }

    [Fact]
    public void An_eviction_not_carried_out_within_two_minutes_is_given_up_and_the_pod_counts_again()
    {
        Start();
        WebPod("web-1");
        WebPod("web-2");
        CreateBudget("web-pdb", minAvailable: "1");
        var pdb = WaitForStatus("web-pdb", current: 2, desired: 1, expected: 2, allowed: 1);

        // The eviction API's part: it took the disruption for web-1, which is then not deleted.
        var json = KubeModels.ToJsonObject(pdb);
        json["status"]!["disruptionsAllowed"] = 0;
        json["status"]!["disruptedPods"] = new JsonObject { ["web-1"] = KubeObject.Timestamp(Time.GetUtcNow()) };
        _ = Await(Api.Update(ResourceCatalog.PodDisruptionBudgets, json, "status")).Object;

        pdb = WaitForStatus("web-pdb", current: 1, desired: 1, expected: 2, allowed: 0);
        Assert.True(pdb.Status.DisruptedPods.ContainsKey("web-1"));

        // Past two minutes (virtual time), the entry expires: web-1 is healthy again. At exactly two
        // minutes the controller, as Kubernetes' (Before vs After), counts the pod healthy but keeps the entry.
        Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        pdb = WaitForStatus("web-pdb", current: 2, desired: 1, expected: 2, allowed: 1);
        Assert.True(pdb.Status.DisruptedPods is null or { Count: 0 });
        WaitForEvents("web-1", "NotDeleted", 1);
        var notDeleted = EventsOf("web-1").Where(e => e.Reason == "NotDeleted").Select(e => e.Message).ToArray();
        Assert.Equal(["Pod was expected by PDB default/default to be deleted but it wasn't"], notDeleted);
    }

    [Fact]
    public void A_spec_change_is_observed_with_the_new_generation()
    {
        Start();
        WebPod("web-1");
        WebPod("web-2");
        CreateBudget("web-pdb", minAvailable: "2");
        WaitForStatus("web-pdb", current: 2, desired: 2, expected: 2, allowed: 0);

        var patched = Await(Api.Patch<V1PodDisruptionBudget>("default", "web-pdb", "application/merge-patch+json", """{"spec":{"minAvailable":1}}""")).Object;
        Assert.Equal(2, patched.Metadata.Generation);
        var pdb = WaitForStatus("web-pdb", current: 2, desired: 1, expected: 2, allowed: 1);
        Assert.Equal(2, pdb.Status.ObservedGeneration);
        Assert.Equal(2, Allowed(pdb).ObservedGeneration);
    }
}
