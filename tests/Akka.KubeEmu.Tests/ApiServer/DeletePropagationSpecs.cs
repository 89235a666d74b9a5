using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// DELETE's propagation policy as kube-apiserver's generic registry applies it
/// (deletionFinalizersForGarbageCollection): Foreground and Orphan leave the object deleting with
/// the garbage collector's finalizer; Background (and most defaults) remove it at once.
/// </summary>
public sealed class DeletePropagationSpecs : IClassFixture<ApiServerFixtureHolder>
{
    private const string JobWarning =
        "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning";

    private readonly HttpClient _client;

    public DeletePropagationSpecs(ApiServerFixtureHolder holder) => _client = holder.Fixture.Client;

    private static StringContent Body(string json, string type = "application/json") => new(json, Encoding.UTF8, type);

    private static async Task<JsonObject> Json(HttpResponseMessage r) => JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();

    private async Task<JsonObject> Create(string path, string json)
    {
        var response = await _client.PostAsync(path, Body(json));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await Json(response);
    }

    private Task<JsonObject> ConfigMap(string name, string finalizers = "[]") =>
        Create("/api/v1/namespaces/default/configmaps",
            $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","finalizers":{{{finalizers}}}}}""");

    private Task<JsonObject> ReplicaSet(string name) =>
        Create("/apis/apps/v1/namespaces/default/replicasets", """
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"NAME"},
             "spec":{"replicas":0,"selector":{"matchLabels":{"app":"NAME"}},
                     "template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
            """.Replace("NAME", name));

    private Task<JsonObject> Job(string name) =>
        Create("/apis/batch/v1/namespaces/default/jobs", """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"NAME"},
             "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}
            """.Replace("NAME", name));

    private Task<HttpResponseMessage> Delete(string path, string? options = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, path);
        if (options is not null) request.Content = Body(options);
        return _client.SendAsync(request);
    }

    private static string[] Finalizers(JsonObject obj) =>
        obj["metadata"]!["finalizers"]?.AsArray().Select(f => f!.GetValue<string>()).ToArray() ?? [];

    private async Task<JsonObject?> Get(string path)
    {
        var response = await _client.GetAsync(path);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await Json(response);
    }

    [Fact]
    public async Task Foreground_deletion_keeps_the_object_deleting_with_the_foregroundDeletion_finalizer()
    {
        var created = await ReplicaSet("fg");
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<long>());
        const string path = "/apis/apps/v1/namespaces/default/replicasets/fg";

        var response = await Delete(path, """{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answered = await Json(response);
        Assert.Equal("ReplicaSet", answered["kind"]!.GetValue<string>());
        Assert.Equal(["foregroundDeletion"], Finalizers(answered));

        var stored = (await Get(path))!;
        Assert.NotNull(stored["metadata"]!["deletionTimestamp"]);
        Assert.Equal(0, stored["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        Assert.Equal(["foregroundDeletion"], Finalizers(stored));
        Assert.Equal(2, stored["metadata"]!["generation"]!.GetValue<long>());

        // Other finalizers stay, in their order, and the policy's comes last.
        await ConfigMap("fg-held", """["example.com/hold"]""");
        await Delete("/api/v1/namespaces/default/configmaps/fg-held?propagationPolicy=Foreground");
        Assert.Equal(["example.com/hold", "foregroundDeletion"], Finalizers((await Get("/api/v1/namespaces/default/configmaps/fg-held"))!));
    }

    [Fact]
    public async Task Orphan_by_query_or_by_the_legacy_orphanDependents_leaves_the_orphan_finalizer()
    {
        await ConfigMap("orphan-query");
        var byQuery = await Delete("/api/v1/namespaces/default/configmaps/orphan-query?propagationPolicy=Orphan");
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
        Assert.Equal(["orphan"], Finalizers((await Get("/api/v1/namespaces/default/configmaps/orphan-query"))!));

        await ConfigMap("orphan-legacy");
        await Delete("/api/v1/namespaces/default/configmaps/orphan-legacy", """{"orphanDependents":true}""");
        var legacy = (await Get("/api/v1/namespaces/default/configmaps/orphan-legacy"))!;
        Assert.Equal(["orphan"], Finalizers(legacy));
        Assert.NotNull(legacy["metadata"]!["deletionTimestamp"]);

        await ConfigMap("orphan-query-legacy");
        await Delete("/api/v1/namespaces/default/configmaps/orphan-query-legacy?orphanDependents=true");
        Assert.Equal(["orphan"], Finalizers((await Get("/api/v1/namespaces/default/configmaps/orphan-query-legacy"))!));
        // A boolean parameter as apimachinery reads it: anything but 0 and false is true.
        await ConfigMap("orphan-query-one");
        await Delete("/api/v1/namespaces/default/configmaps/orphan-query-one?orphanDependents=1");
        Assert.Equal(["orphan"], Finalizers((await Get("/api/v1/namespaces/default/configmaps/orphan-query-one"))!));

        // orphanDependents=false is Background; when something else holds the object, the answer is 202.
        await ConfigMap("not-orphaned");
        var background = await Delete("/api/v1/namespaces/default/configmaps/not-orphaned", """{"orphanDependents":false}""");
        Assert.Equal(HttpStatusCode.OK, background.StatusCode);
        Assert.Equal("Success", (await Json(background))["status"]!.GetValue<string>());
        Assert.Null(await Get("/api/v1/namespaces/default/configmaps/not-orphaned"));
        await ConfigMap("not-orphaned-held", """["example.com/hold"]""");
        var accepted = await Delete("/api/v1/namespaces/default/configmaps/not-orphaned-held", """{"orphanDependents":false}""");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(["example.com/hold"], Finalizers(await Json(accepted)));
    }

    [Fact]
    public async Task Background_and_the_defaults_remove_at_once_but_batch_v1_jobs_orphan_by_default_with_a_warning()
    {
        await ReplicaSet("bg-default");
        var byDefault = await Delete("/apis/apps/v1/namespaces/default/replicasets/bg-default");
        Assert.Equal("Success", (await Json(byDefault))["status"]!.GetValue<string>());
        Assert.False(byDefault.Headers.Contains("Warning"));
        Assert.Null(await Get("/apis/apps/v1/namespaces/default/replicasets/bg-default"));

        await ReplicaSet("bg-explicit");
        await Delete("/apis/apps/v1/namespaces/default/replicasets/bg-explicit", """{"propagationPolicy":"Background"}""");
        Assert.Null(await Get("/apis/apps/v1/namespaces/default/replicasets/bg-explicit"));

        await Job("job-default");
        var jobDefault = await Delete("/apis/batch/v1/namespaces/default/jobs/job-default");
        Assert.Equal(HttpStatusCode.OK, jobDefault.StatusCode);
        Assert.Contains(jobDefault.Headers.GetValues("Warning"), w => w.Contains(JobWarning));
        Assert.Equal(["orphan"], Finalizers((await Get("/apis/batch/v1/namespaces/default/jobs/job-default"))!));

        await Job("job-background");
        var jobBackground = await Delete("/apis/batch/v1/namespaces/default/jobs/job-background?propagationPolicy=Background");
        Assert.False(jobBackground.Headers.Contains("Warning"));
        Assert.Null(await Get("/apis/batch/v1/namespaces/default/jobs/job-background"));
    }

    [Fact]
    public async Task Invalid_delete_options_are_refused_with_422_before_the_object_is_looked_up()
    {
        await ConfigMap("invalid-options");
        var both = await Delete("/api/v1/namespaces/default/configmaps/invalid-options",
            """{"orphanDependents":true,"propagationPolicy":"Foreground"}""");
        Assert.Equal(422, (int)both.StatusCode);
        var status = await Json(both);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.Equal("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"Foreground\": orphanDependents and deletionPropagation cannot be both set",
            status["message"]!.GetValue<string>());
        Assert.Equal("DeleteOptions", status["details"]!["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io", status["details"]!["group"]!.GetValue<string>());

        var unknown = await Delete("/api/v1/namespaces/default/configmaps/no-such-map?propagationPolicy=Sometimes");
        Assert.Equal(422, (int)unknown.StatusCode);
        Assert.Equal("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Sometimes\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"",
            (await Json(unknown))["message"]!.GetValue<string>());

        // Nothing happened to the object.
        var untouched = (await Get("/api/v1/namespaces/default/configmaps/invalid-options"))!;
        Assert.Null(untouched["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task A_second_delete_switches_a_pending_foreground_deletion_to_orphan_without_moving_the_deletion_timestamp()
    {
        await ConfigMap("switch");
        const string path = "/api/v1/namespaces/default/configmaps/switch";
        await Delete(path + "?propagationPolicy=Foreground");
        var first = (await Get(path))!;
        Assert.Equal(["foregroundDeletion"], Finalizers(first));

        // Without a policy, the finalizer it has decides: nothing changes, not even the resourceVersion.
        await Delete(path);
        var again = (await Get(path))!;
        Assert.Equal(first["metadata"]!["resourceVersion"]!.GetValue<string>(), again["metadata"]!["resourceVersion"]!.GetValue<string>());

        await Delete(path + "?propagationPolicy=Orphan");
        var switched = (await Get(path))!;
        Assert.Equal(["orphan"], Finalizers(switched));
        Assert.Equal(first["metadata"]!["deletionTimestamp"]!.GetValue<string>(), switched["metadata"]!["deletionTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bound_pod_deleted_in_the_foreground_goes_when_its_finalizer_does_after_the_kubelets_zero_grace_delete()
    {
        await Create("/api/v1/namespaces/default/pods", """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"fg-pod"},
             "spec":{"nodeName":"node-1","containers":[{"name":"c","image":"nginx"}]}}
            """);
        const string path = "/api/v1/namespaces/default/pods/fg-pod";
        var marked = await Json(await Delete(path, """{"propagationPolicy":"Foreground"}"""));
        Assert.Equal(30, marked["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        Assert.Equal(["foregroundDeletion"], Finalizers(marked));

        // The kubelet's final delete: the finalizer still holds the pod.
        await Delete(path, """{"gracePeriodSeconds":0}""");
        var held = (await Get(path))!;
        Assert.Equal(0, held["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());

        var patch = new HttpRequestMessage(HttpMethod.Patch, path) { Content = Body("""{"metadata":{"finalizers":null}}""", "application/merge-patch+json") };
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(patch)).StatusCode);
        Assert.Null(await Get(path));
    }
}
