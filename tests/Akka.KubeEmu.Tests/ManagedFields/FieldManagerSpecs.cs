using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.ManagedFields;
using Akka.KubeEmu.Actors.Api.Resources;
using Xunit;

namespace Akka.KubeEmu.Tests.ManagedFields;

/// <summary>
/// metadata.managedFields as kube-apiserver records them: the fields each write changed, server-side
/// apply's merge, prune and conflicts, and the rules around them (untracked objects, resets, the
/// cap on Update entries, kubectl's upgrade from client-side apply).
/// </summary>
public sealed class FieldManagerSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject Deployment(int replicas = 2, string image = "nginx:1.14.2", string labels = "\"app\":\"nginx\"") => Obj(
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"nginx\",\"labels\":{" + labels + "}},"
        + "\"spec\":{\"replicas\":" + replicas + ",\"selector\":{\"matchLabels\":{\"app\":\"nginx\"}},"
        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"nginx\"}},\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"" + image
        + "\",\"ports\":[{\"containerPort\":80}]}]}}}}");

    private static JsonObject ConfigMap(string data, string? managedFields = null) => Obj(
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\",\"namespace\":\"default\",\"uid\":\"u1\""
        + (managedFields is null ? "" : ",\"managedFields\":" + managedFields) + "},\"data\":{" + data + "}}");

    private static JsonArray Managed(JsonObject obj) => obj["metadata"]!["managedFields"]!.AsArray();

    private static JsonObject Entry(JsonObject obj, string manager) =>
        Managed(obj).Select(e => e!.AsObject()).Single(e => (string?)e["manager"] == manager);

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual?.ToJsonString());

    // A status write compares .status alone: the paths must be those the whole comparison finds under it.
    [Theory]
    [InlineData("""{"phase":"Pending"}""", """{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}""")]
    [InlineData(null, """{"phase":"Pending","hostIP":"10.0.0.1"}""")]
    [InlineData("""{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],"podIP":"10.244.0.5"}""", """{"phase":"Running","conditions":[{"type":"Ready","status":"False"}]}""")]
    [InlineData("""{"phase":"Running"}""", null)]
    public void A_comparison_of_the_status_alone_finds_what_the_whole_comparison_finds_under_it(string? before, string? after)
    {
        JsonObject Pod(string? status, string image)
        {
            var pod = Obj("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"labels\":{\"a\":\"b\"}},"
                          + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}");
            if (status is not null) pod["status"] = Obj(status);
            return pod;
        }
        var schema = TypeSchema.Of(ResourceCatalog.Pods);
        // The spec differs too, to show it is left out; the whole comparison's status part is the reference.
        var whole = ObjectFields.Compare(Pod(before, "nginx:1"), Pod(after, "nginx:2"), schema);
        var alone = ObjectFields.CompareField(Pod(before, "nginx:1"), Pod(after, "nginx:2"), schema, "status");
        var status = FieldPath.Field("status");
        FieldSet UnderStatus(FieldSet set) => set.OnlyUnder(status).Union(set.Has(status) ? FieldSet.Of(status) : new FieldSet());
        Assert.False(whole.IsSame);
        Assert.True(UnderStatus(whole.Added).SetEquals(alone.Added), string.Join(" ", alone.Added.Members));
        Assert.True(UnderStatus(whole.Modified).SetEquals(alone.Modified), string.Join(" ", alone.Modified.Members));
        Assert.True(UnderStatus(whole.Removed).SetEquals(alone.Removed), string.Join(" ", alone.Removed.Members));
        Assert.False(alone.Added.Union(alone.Modified).Union(alone.Removed).IsEmpty);
        Assert.DoesNotContain(alone.Modified.Members, m => m.Contains("image"));
    }

    [Fact]
    public void An_apply_owns_what_its_configuration_sets_in_the_apiservers_fieldsV1()
    {
        var result = FieldManager.Apply(ResourceCatalog.Deployments, null, Deployment(), "kubectl", force: false, null, T0);

        var entry = Entry(result.Object!, "kubectl");
        Assert.Equal(("Apply", "apps/v1", "2026-12-02T10:00:00Z", "FieldsV1"),
            ((string?)entry["operation"], (string?)entry["apiVersion"], (string?)entry["time"], (string?)entry["fieldsType"]));
        // Struct fields are not members, items of map lists are ("."), atomic selectors are leaves.
        AssertJson("""
            {"f:metadata":{"f:labels":{"f:app":{}}},
             "f:spec":{"f:replicas":{},"f:selector":{},
              "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
               "f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},
                "f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}
            """, entry["fieldsV1"]);
    }

    [Fact]
    public void A_create_is_an_Update_of_every_field_with_members_for_maps_that_appeared()
    {
        var cm = ConfigMap("\"a\":\"1\"");
        cm["metadata"]!.AsObject().Remove("uid");

        FieldManager.Update(ResourceCatalog.ConfigMaps, null, cm, "kubectl-create", null, T0);

        var entry = Entry(cm, "kubectl-create");
        Assert.Equal("Update", (string?)entry["operation"]);
        AssertJson("""{"f:data":{".":{},"f:a":{}}}""", entry["fieldsV1"]);
    }

    [Fact]
    public void An_update_takes_the_fields_it_changes_from_their_owners_and_a_no_op_changes_nothing()
    {
        var created = ConfigMap("\"a\":\"1\",\"b\":\"2\"");
        FieldManager.Update(ResourceCatalog.ConfigMaps, null, created, "creator", null, T0);

        var patched = ConfigMap("\"a\":\"9\",\"b\":\"2\"");
        FieldManager.Update(ResourceCatalog.ConfigMaps, created, patched, "kubectl-patch", null, T0.AddMinutes(1));
        AssertJson("""{"f:data":{".":{},"f:b":{}}}""", Entry(patched, "creator")["fieldsV1"]);
        AssertJson("""{"f:data":{"f:a":{}}}""", Entry(patched, "kubectl-patch")["fieldsV1"]);
        Assert.Equal("2026-12-02T10:01:00Z", (string?)Entry(patched, "kubectl-patch")["time"]);

        var again = ConfigMap("\"a\":\"9\",\"b\":\"2\"");
        FieldManager.Update(ResourceCatalog.ConfigMaps, patched, again, "someone-else", null, T0.AddMinutes(2));
        AssertJson(Managed(patched).ToJsonString(), Managed(again));
    }

    [Fact]
    public void A_status_write_takes_status_fields_only_and_every_other_entry_stays_as_stored()
    {
        var created = Deployment();
        FieldManager.Update(ResourceCatalog.Deployments, null, created, "kubectl-create", null, T0);
        var createdEntry = Entry(created, "kubectl-create").DeepClone();

        JsonObject WithStatus(JsonObject from, string status)
        {
            var copy = from.DeepClone().AsObject();
            copy["status"] = Obj(status);
            return copy;
        }
        var first = WithStatus(created, """{"replicas":2,"readyReplicas":1}""");
        FieldManager.Update(ResourceCatalog.Deployments, created, first, "kube-controller-manager", "status", T0.AddMinutes(1));
        AssertJson("""{"f:status":{"f:readyReplicas":{},"f:replicas":{}}}""", Entry(first, "kube-controller-manager")["fieldsV1"]);
        AssertJson(createdEntry.ToJsonString(), Entry(first, "kubectl-create"));

        // Another status writer takes the field it changed from the first one; the spec's owner is untouched.
        var second = WithStatus(first, """{"replicas":2,"readyReplicas":2}""");
        FieldManager.Update(ResourceCatalog.Deployments, first, second, "other", "status", T0.AddMinutes(2));
        AssertJson("""{"f:status":{"f:replicas":{}}}""", Entry(second, "kube-controller-manager")["fieldsV1"]);
        AssertJson("""{"f:status":{"f:readyReplicas":{}}}""", Entry(second, "other")["fieldsV1"]);
        AssertJson(createdEntry.ToJsonString(), Entry(second, "kubectl-create"));

        // A main-resource write of a spec field takes it from the creator's stored entry.
        var scaled = second.DeepClone().AsObject();
        scaled["spec"]!["replicas"] = 3;
        FieldManager.Update(ResourceCatalog.Deployments, second, scaled, "kubectl-scale", null, T0.AddMinutes(3));
        Assert.DoesNotContain("f:replicas", Entry(scaled, "kubectl-create")["fieldsV1"]!["f:spec"]!.AsObject().Select(p => p.Key));
        AssertJson("""{"f:spec":{"f:replicas":{}}}""", Entry(scaled, "kubectl-scale")["fieldsV1"]);
        AssertJson(Entry(second, "kube-controller-manager").ToJsonString(), Entry(scaled, "kube-controller-manager"));
    }

    [Fact]
    public void Objects_that_never_had_managed_fields_stay_untracked_until_an_apply_which_credits_before_first_apply()
    {
        var live = ConfigMap("\"a\":\"1\"");
        var next = ConfigMap("\"a\":\"2\"");
        FieldManager.Update(ResourceCatalog.ConfigMaps, live, next, "kubectl-edit", null, T0);
        Assert.Null(next["metadata"]!["managedFields"]);

        var applied = FieldManager.Apply(ResourceCatalog.ConfigMaps, live, Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"b":"2"}}"""),
            "tool", force: false, null, T0).Object!;
        AssertJson("""{"f:data":{".":{},"f:a":{}}}""", Entry(applied, "before-first-apply")["fieldsV1"]);
        AssertJson("""{"f:data":{"f:b":{}}}""", Entry(applied, "tool")["fieldsV1"]);
    }

    [Fact]
    public void An_empty_managedFields_list_in_a_request_resets_them_and_the_object_is_untracked_after()
    {
        var live = ConfigMap("\"a\":\"1\"");
        FieldManager.Update(ResourceCatalog.ConfigMaps, null, live, "creator", null, T0);
        var next = ConfigMap("\"a\":\"2\"", managedFields: "[]");

        FieldManager.Update(ResourceCatalog.ConfigMaps, live, next, "kubectl-edit", null, T0);

        // Reset, and the object is untracked from then on: not even this write's change is recorded.
        Assert.Null(next["metadata"]!["managedFields"]);
    }

    [Theory]
    [InlineData(false, "Apply failed with 1 conflict: conflict with \"kubectl-scale\" with subresource \"scale\" using apps/v1: .spec.replicas")]
    [InlineData(true, null)]
    public void Changing_a_field_another_manager_owns_conflicts_unless_forced(bool force, string? message)
    {
        var live = FieldManager.Apply(ResourceCatalog.Deployments, null, Deployment(), "kubectl", false, null, T0).Object!;
        var scaled = live.DeepClone().AsObject();
        scaled["spec"]!["replicas"] = 5;
        FieldManager.Update(ResourceCatalog.Deployments, live, scaled, "kubectl-scale", "scale", T0);

        var result = FieldManager.Apply(ResourceCatalog.Deployments, scaled, Deployment(replicas: 3), "kubectl", force, null, T0);

        if (message is not null)
        {
            Assert.Null(result.Object);
            Assert.Equal(message, ApplyConflicts.Message(result.Conflicts));
            return;
        }
        Assert.Equal(3, (int)result.Object!["spec"]!["replicas"]!);
        Assert.DoesNotContain(Managed(result.Object!), e => (string?)e!["manager"] == "kubectl-scale");
    }

    [Fact]
    public void Applying_the_value_a_field_already_has_shares_it_without_conflict()
    {
        var live = FieldManager.Apply(ResourceCatalog.Deployments, null, Deployment(), "kubectl", false, null, T0).Object!;
        var result = FieldManager.Apply(ResourceCatalog.Deployments, live, Deployment(), "helm", force: false, null, T0);
        Assert.Empty(result.Conflicts);
        Assert.Contains("f:replicas", Entry(result.Object!, "helm")["fieldsV1"]!["f:spec"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Conflicts_with_several_managers_are_listed_per_manager()
    {
        var live = ConfigMap("\"a\":\"1\"");
        live["metadata"]!.AsObject().Remove("uid");
        FieldManager.Update(ResourceCatalog.ConfigMaps, null, live, "kubectl-create", null, T0);
        var labelled = live.DeepClone().AsObject();
        labelled["metadata"]!["labels"] = new JsonObject { ["x"] = "y" };
        FieldManager.Update(ResourceCatalog.ConfigMaps, live, labelled, "kubectl-label", null, T0);

        var result = FieldManager.Apply(ResourceCatalog.ConfigMaps, labelled,
            Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","labels":{"x":"z"}},"data":{"a":"6"}}"""), "other", false, null, T0);

        Assert.Equal("Apply failed with 2 conflicts: conflicts with \"kubectl-create\" using v1:\n- .data.a\nconflicts with \"kubectl-label\" using v1:\n- .metadata.labels.x",
            ApplyConflicts.Message(result.Conflicts));
        var status = ApplyConflicts.Status(result.Conflicts);
        Assert.Equal((409, "Conflict"), (status.Code, status.Reason));
        Assert.Equal([("FieldManagerConflict", "conflict with \"kubectl-create\" using v1", ".data.a"), ("FieldManagerConflict", "conflict with \"kubectl-label\" using v1", ".metadata.labels.x")],
            status.Details!.Causes!.Select(c => (c.Type, c.Message, c.Field)));
    }

    [Fact]
    public void What_an_applier_stops_applying_is_removed_unless_another_manager_owns_it()
    {
        var live = FieldManager.Apply(ResourceCatalog.Deployments, null, Deployment(labels: "\"app\":\"nginx\",\"tier\":\"web\""), "kubectl", false, null, T0).Object!;
        var shared = FieldManager.Apply(ResourceCatalog.Deployments, live, Obj("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","labels":{"tier":"web"}}}"""),
            "other", false, null, T0).Object!;

        var result = FieldManager.Apply(ResourceCatalog.Deployments, shared, Obj("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx"},
             "spec":{"selector":{"matchLabels":{"app":"nginx"}},"template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.14.2"}]}}}}
            """), "kubectl", false, null, T0).Object!;

        Assert.Equal(["tier"], result["metadata"]!["labels"]!.AsObject().Select(l => l.Key));
        Assert.Null(result["spec"]!["replicas"]);
        Assert.Null(result["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]);
        Assert.Equal("nginx", (string?)result["metadata"]!["name"]);
    }

    [Fact]
    public void Map_list_items_merge_by_key_keeping_the_live_objects_own_items_in_place()
    {
        var live = Obj("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[
              {"name":"a","image":"a:1","imagePullPolicy":"IfNotPresent"},{"name":"sidecar","image":"s:1"},{"name":"b","image":"b:1"}]}}
            """);
        var config = Obj("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"a:2"},{"name":"b","image":"b:1"},{"name":"c","image":"c:1"}]}}""");

        var merged = ObjectFields.Merge(live, config, TypeSchema.Of(ResourceCatalog.Pods))!;

        var containers = merged["spec"]!["containers"]!.AsArray();
        Assert.Equal(["a", "sidecar", "b", "c"], containers.Select(c => (string?)c!["name"]));
        Assert.Equal(("a:2", "IfNotPresent"), ((string?)containers[0]!["image"], (string?)containers[0]!["imagePullPolicy"]));
    }

    [Fact]
    public void Kubectls_first_server_side_apply_takes_over_what_its_last_client_side_apply_set()
    {
        var lastApplied = Deployment().ToJsonString();
        var live = Deployment();
        live["metadata"]!["annotations"] = new JsonObject { [FieldManager.LastAppliedAnnotation] = lastApplied };
        FieldManager.Update(ResourceCatalog.Deployments, null, live, "kubectl-client-side-apply", null, T0);

        var upgraded = FieldManager.Apply(ResourceCatalog.Deployments, live, Deployment(replicas: 3), "kubectl", false, null, T0);
        Assert.Empty(upgraded.Conflicts);
        Assert.Equal(3, (int)upgraded.Object!["spec"]!["replicas"]!);
        Assert.Contains("\"replicas\":3", (string?)upgraded.Object!["metadata"]!["annotations"]![FieldManager.LastAppliedAnnotation]);

        // Another manager than kubectl gets the conflict.
        Assert.NotEmpty(FieldManager.Apply(ResourceCatalog.Deployments, live, Deployment(replicas: 3), "helm", false, null, T0).Conflicts);
    }

    [Fact]
    public void More_than_ten_update_managers_fold_the_oldest_into_ancient_changes()
    {
        var obj = ConfigMap("\"k0\":\"v\"");
        obj["metadata"]!.AsObject().Remove("uid");
        FieldManager.Update(ResourceCatalog.ConfigMaps, null, obj, "m0", null, T0);
        for (var i = 1; i <= 11; i++)
        {
            var next = obj.DeepClone().AsObject();
            next["data"]![$"k{i}"] = "v";
            FieldManager.Update(ResourceCatalog.ConfigMaps, obj, next, $"m{i}", null, T0.AddMinutes(i));
            obj = next;
        }

        var managers = Managed(obj).Select(e => (string?)e!["manager"]).ToArray();
        Assert.Equal(10, managers.Length);
        Assert.Contains("ancient-changes", managers);
        Assert.DoesNotContain("m0", managers);
        Assert.DoesNotContain("m1", managers);
        Assert.DoesNotContain("m2", managers);
        // Twelve entries: the oldest is the bucket's start, the next two fold into it (capManagersManager).
        AssertJson("""{"f:data":{".":{},"f:k0":{},"f:k1":{},"f:k2":{}}}""", Entry(obj, "ancient-changes")["fieldsV1"]);
    }

    [Fact]
    public void FieldsV1_round_trips_and_paths_print_as_conflicts_name_them()
    {
        var json = JsonNode.Parse("""{"f:spec":{"f:ports":{"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:name":{}}},"f:finalizers":{"v:\"x\"":{}}}}""");
        var set = FieldSet.FromFieldsV1(json);

        AssertJson(json!.ToJsonString(), set.ToFieldsV1());
        Assert.Equal([".spec.finalizers[=\"x\"]", ".spec.ports[port=80,protocol=\"TCP\"]", ".spec.ports[port=80,protocol=\"TCP\"].name"],
            set.Members.Select(FieldPath.Render).Order(StringComparer.Ordinal));
    }
}
