using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Scheduling;

/// <summary>PriorityClass through the API pipeline: validation, the Priority admission plugin, printing.</summary>
public sealed class PriorityClassSpecs : StoreTestBase
{
    private readonly ApiClient _api;

    public PriorityClassSpecs() : base(new TempDir())
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        _api = new ApiClient(new RestStorage(new StoreClient(store, TimeSpan.FromSeconds(10)), new KubernetesPipeline(new AdmissionSettings(300))), "test");
    }

    private static V1PriorityClass Class(string name, int value, bool globalDefault = false, string? policy = null) => new()
    {
        ApiVersion = "scheduling.k8s.io/v1", Kind = "PriorityClass", Metadata = new V1ObjectMeta { Name = name },
        Value = value, GlobalDefault = globalDefault, PreemptionPolicy = policy,
    };

    private static V1Pod Pod(string name, string? className = null, int? priority = null, string? policy = null) => new()
    {
        ApiVersion = "v1", Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1PodSpec { PriorityClassName = className, Priority = priority, PreemptionPolicy = policy, Containers = [new V1Container { Name = "c", Image = "nginx" }] },
    };

    private T Created<T>(T obj) where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        var result = _api.Create(obj).GetAwaiter().GetResult();
        Assert.True(result.Ok, result.Error?.Message);
        return result.Object;
    }

    private ApiStatus Refused<T>(T obj) where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        var result = _api.Create(obj).GetAwaiter().GetResult();
        Assert.False(result.Ok);
        return result.Error!;
    }

    [Fact]
    public void A_pod_takes_priority_and_preemption_policy_from_its_class()
    {
        Created(Class("high", 1000, policy: "Never"));
        var pod = Created(Pod("p", "high"));
        Assert.Equal(1000, pod.Spec.Priority);
        Assert.Equal("Never", pod.Spec.PreemptionPolicy);

        var plain = Created(Pod("plain"));
        Assert.Equal(0, plain.Spec.Priority);
        Assert.Equal("PreemptLowerPriority", plain.Spec.PreemptionPolicy);
        Assert.Null(plain.Spec.PriorityClassName);
    }

    [Fact]
    public void The_global_default_class_names_itself_on_pods_without_a_class_and_only_one_may_exist()
    {
        Created(Class("normal", 100, globalDefault: true));
        var pod = Created(Pod("p"));
        Assert.Equal("normal", pod.Spec.PriorityClassName);
        Assert.Equal(100, pod.Spec.Priority);

        var second = Refused(Class("other", 5, globalDefault: true));
        Assert.Equal(403, second.Code);
        Assert.Equal("priorityclasses.scheduling.k8s.io \"other\" is forbidden: PriorityClass normal is already marked as default. Only one default can exist", second.Message);
    }

    [Fact]
    public void An_unknown_class_or_a_priority_that_differs_from_the_class_is_forbidden_as_kube_apiserver_words_it()
    {
        var unknown = Refused(Pod("x", "foo"));
        Assert.Equal(403, unknown.Code);
        Assert.Equal("Forbidden", unknown.Reason);
        Assert.Equal("pods \"x\" is forbidden: no PriorityClass with name foo was found", unknown.Message);

        Created(Class("high", 1000));
        var differs = Refused(Pod("y", "high", priority: 5));
        Assert.Equal("pods \"y\" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name", differs.Message);
        // The same value is accepted (what a re-created pod carries).
        Assert.Equal(1000, Created(Pod("z", "high", priority: 1000)).Spec.Priority);

        var policy = Refused(Pod("w", "high", policy: "Never"));
        Assert.Equal("pods \"w\" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name", policy.Message);
    }

    [Fact]
    public void Validation_reserves_the_system_prefix_and_caps_user_values_and_freezes_value()
    {
        var system = Refused(Class("system-mine", 10));
        Assert.Equal(422, system.Code);
        Assert.Equal("PriorityClass.scheduling.k8s.io \"system-mine\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class", system.Message);

        var wrongValue = Refused(Class("system-node-critical", 5));
        Assert.Contains("error: value of system-node-critical PriorityClass must be 2000001000", wrongValue.Message);
        Assert.Equal(2000001000, Created(Class("system-node-critical", 2000001000)).Value);

        var tooHigh = Refused(Class("huge", 1_000_000_001));
        Assert.Equal("PriorityClass.scheduling.k8s.io \"huge\" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000", tooHigh.Message);

        var pc = Created(Class("fixed", 10));
        Assert.Equal("PreemptLowerPriority", pc.PreemptionPolicy);
        pc.Value = 11;
        var update = _api.Update(pc).GetAwaiter().GetResult();
        Assert.Equal("PriorityClass.scheduling.k8s.io \"fixed\" is invalid: value: Forbidden: may not be changed in an update.", update.Error?.Message);
    }

    [Fact]
    public void Kubectl_get_priorityclasses_shows_value_global_default_age_and_preemption_policy()
    {
        var pc = KubeObject.Parse(KubeModels.Encode(Created(Class("high", 1000, globalDefault: true))));
        var table = TableConvertor.ToTable(ResourceCatalog.PriorityClasses, [pc], Time.GetUtcNow().AddMinutes(3));
        Assert.Equal(["Name", "Value", "Global-Default", "Age", "PreemptionPolicy"],
            table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("high", cells[0]!.GetValue<string>());
        Assert.Equal(1000, cells[1]!.GetValue<long>());
        Assert.True(cells[2]!.GetValue<bool>());
        Assert.Equal("3m", cells[3]!.GetValue<string>());
        Assert.Equal("PreemptLowerPriority", cells[4]!.GetValue<string>());
    }

    [Fact]
    public void An_update_that_leaves_out_the_priority_keeps_the_admitted_one()
    {
        Created(Class("high", 1000));
        var pod = Created(Pod("p", "high"));
        pod.Spec.Priority = null;
        pod.Spec.PreemptionPolicy = null;
        pod.Spec.Containers[0].Image = "nginx:1.27";
        var updated = _api.Update(pod).GetAwaiter().GetResult();
        Assert.True(updated.Ok, updated.Error?.Message);
        Assert.Equal(1000, updated.Object.Spec.Priority);
    }
}
