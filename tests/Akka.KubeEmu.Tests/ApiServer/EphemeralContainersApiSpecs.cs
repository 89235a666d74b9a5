using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// pods/{name}/ephemeralcontainers as kubectl debug uses it: a strategic merge patch that appends an
/// ephemeral container (defaulted like any container), nothing else of the pod changes, and
/// kube-apiserver's validation of what may be added, changed or removed.
/// </summary>
public sealed class EphemeralContainersApiSpecs : IClassFixture<ApiServerFixtureHolder>
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private const string SmpType = "application/strategic-merge-patch+json";
    private readonly HttpClient _client;

    public EphemeralContainersApiSpecs(ApiServerFixtureHolder holder) => _client = holder.Fixture.Client;

    private async Task Pod(string name)
    {
        var created = await _client.PostAsync(Pods, Body($$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}"},
             "spec":{"nodeName":"node-x","containers":[{"name":"web","image":"nginx:1.25"}]}}
            """));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Kubectl_debugs_patch_appends_a_defaulted_ephemeral_container_and_changes_nothing_else()
    {
        await Pod("debug-me");
        // What kubectl debug sends: the two-way strategic merge patch of the pod with the container appended.
        var patched = await Ok(await _client.Patch($"{Pods}/debug-me/ephemeralcontainers", """
            {"spec":{"activeDeadlineSeconds":5,"ephemeralContainers":[{"image":"busybox:1.28","name":"debugger-x1","resources":{},
             "stdin":true,"targetContainerName":"web","terminationMessagePolicy":"File","tty":true}]}}
            """, SmpType));
        var debugger = (JsonObject)((JsonArray)KubeObject.At(patched, "spec.ephemeralContainers")!)[0]!;
        Assert.Equal(("IfNotPresent", "/dev/termination-log", "web"),
            (KubeObject.String(debugger, "imagePullPolicy"), KubeObject.String(debugger, "terminationMessagePath"), KubeObject.String(debugger, "targetContainerName")));
        Assert.Null(KubeObject.At(patched, "spec.activeDeadlineSeconds")); // the subresource writes ephemeral containers only

        var read = await Ok(await _client.GetAsync($"{Pods}/debug-me/ephemeralcontainers"));
        Assert.Equal("Pod", KubeObject.Kind(read));
        Assert.Equal("debugger-x1", KubeObject.ScalarAt((KubeObject.At(read, "spec.ephemeralContainers") as JsonArray)![0], "name"));
        var entry = (KubeObject.At(read, "metadata.managedFields") as JsonArray)!.OfType<JsonObject>().Last();
        Assert.Equal("ephemeralcontainers", KubeObject.String(entry, "subresource"));
    }

    [Fact]
    public async Task Existing_ephemeral_containers_can_be_neither_changed_nor_removed()
    {
        await Pod("debugged");
        await Ok(await _client.Patch($"{Pods}/debugged/ephemeralcontainers",
            """{"spec":{"ephemeralContainers":[{"name":"one","image":"busybox:1.28"},{"name":"two","image":"busybox:1.28"}]}}""", SmpType));
        var pod = await Ok(await _client.GetAsync($"{Pods}/debugged"));
        var ephemeral = (JsonArray)KubeObject.At(pod, "spec.ephemeralContainers")!;
        ((JsonObject)ephemeral[0]!)["image"] = "busybox:1.36";
        ephemeral.RemoveAt(1);
        var message = await Failure(await _client.PutAsync($"{Pods}/debugged/ephemeralcontainers", Body(pod.ToJsonString())), 422, "Invalid");
        Assert.Equal("Pod \"debugged\" is invalid: [spec.ephemeralContainers: Forbidden: existing ephemeral containers \"one\" may not be changed\n, " +
            "spec.ephemeralContainers: Forbidden: existing ephemeral containers \"two\" may not be removed\n]", message);
    }

    [Fact]
    public async Task An_ephemeral_container_with_a_workloads_fields_a_taken_name_or_an_unknown_target_is_refused()
    {
        await Pod("strict");
        var message = await Failure(await _client.Patch($"{Pods}/strict/ephemeralcontainers", """
            {"spec":{"ephemeralContainers":[{"name":"web","image":"busybox","targetContainerName":"db",
             "ports":[{"containerPort":80}],"readinessProbe":{"tcpSocket":{"port":80}}}]}}
            """, SmpType), 422, "Invalid");
        Assert.Equal("Pod \"strict\" is invalid: [spec.ephemeralContainers[0].name: Duplicate value: \"web\", " +
            "spec.ephemeralContainers[0].targetContainerName: Not found: \"db\", " +
            "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container, " +
            "spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container]", message);
    }

    [Fact]
    public async Task A_pod_cannot_be_created_with_ephemeral_containers_and_kubectl_debug_on_a_missing_pod_gets_its_not_found()
    {
        var message = await Failure(await _client.PostAsync(Pods, Body("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"born-debugged"},
             "spec":{"containers":[{"name":"web","image":"nginx"}],"ephemeralContainers":[{"name":"d","image":"busybox"}]}}
            """)), 422, "Invalid");
        Assert.Equal("Pod \"born-debugged\" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create", message);
        // kubectl tells "ephemeral containers are disabled" from a not-found without a name; a missing pod names itself.
        var missing = await _client.Patch($"{Pods}/nosuch/ephemeralcontainers", """{"spec":{"ephemeralContainers":[{"name":"d","image":"busybox"}]}}""", SmpType);
        Assert.Equal("pods \"nosuch\" not found", await Failure(missing, 404, "NotFound"));
    }
}
