using System.Text.Json.Nodes;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E3 with the real kubectl against three node processes: the documentation's nginx
/// Deployment created, scaled, rolled, stalled on a bad image and rolled back, as on a real cluster.
/// </summary>
[Collection("shared cluster")]
public sealed class DeploymentSpecs(SharedCluster shared) : IAsyncLifetime
{
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "config", "examples");
    private static readonly TimeSpan Rollout = TimeSpan.FromSeconds(90);
    private Kubectl Kubectl { get; set; } = null!;

    public async Task InitializeAsync() => Kubectl = await shared.Namespace("deployments");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_nginx_deployment_scales_rolls_stalls_on_a_bad_image_and_rolls_back()
    {
        (await Kubectl.Run("apply", "-f", Path.Combine(Examples, "nginx-deployment.yaml"))).Ok();
        await RolledOut("nginx-deployment");
        var deploy = TableOutput.Parse((await Kubectl.Run("get", "deployment", "nginx-deployment")).Ok().Stdout);
        Assert.Equal(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], deploy.Headers);
        Assert.Equal(("3/3", "3", "3"), (deploy.Row("nginx-deployment")["READY"], deploy.Row("nginx-deployment")["UP-TO-DATE"], deploy.Row("nginx-deployment")["AVAILABLE"]));

        var rs = TableOutput.Parse((await Kubectl.Run("get", "rs", "-l", "app=nginx")).Ok().Stdout);
        Assert.Equal(["NAME", "DESIRED", "CURRENT", "READY", "AGE"], rs.Headers);
        var first = Assert.Single(rs.Rows);
        Assert.Matches("^nginx-deployment-[bcdfghjklmnpqrstvwxz2456789]{6,10}$", first["NAME"]);
        Assert.Equal(("3", "3", "3"), (first["DESIRED"], first["CURRENT"], first["READY"]));
        var pods = await Pods("app=nginx");
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Matches($"^{first["NAME"]}-[bcdfghjklmnpqrstvwxz2456789]{{5}}$", p.Name));

        (await Kubectl.Run("scale", "deployment/nginx-deployment", "--replicas=5")).Ok();
        await RolledOut("nginx-deployment");
        Assert.Equal(5, (await Pods("app=nginx")).Count(p => p.Status == "Running"));
        (await Kubectl.Run("scale", "deployment/nginx-deployment", "--replicas=3")).Ok();
        await Eventually.Until(() => Pods("app=nginx"), p => p.Count == 3, Rollout, "3 nginx pods after scaling back");

        var before = (await ScalingEvents("nginx-deployment")).Count;
        (await Kubectl.Run("set", "image", "deployment/nginx-deployment", "nginx=nginx:1.9.1")).Ok();
        await RolledOut("nginx-deployment");
        var rolled = (await ScalingEvents("nginx-deployment")).Skip(before).ToArray();
        var newRs = (await Kubectl.Run("get", "rs", "-l", "app=nginx", "-o", "jsonpath={.items[?(@.spec.replicas==3)].metadata.name}")).Ok().Stdout.Trim();
        var oldRs = first["NAME"];
        Assert.Equal([
            $"Scaled up replica set {newRs} from 0 to 1",
            $"Scaled down replica set {oldRs} from 3 to 2",
            $"Scaled up replica set {newRs} from 1 to 2",
            $"Scaled down replica set {oldRs} from 2 to 1",
            $"Scaled up replica set {newRs} from 2 to 3",
            $"Scaled down replica set {oldRs} from 1 to 0",
        ], rolled);
        Assert.All(await Pods("app=nginx"), p => Assert.StartsWith(newRs + "-", p.Name));

        // A tag that does not exist: the rollout stalls, the old pods keep serving.
        (await Kubectl.Run("set", "image", "deployment/nginx-deployment", "nginx=nginx:1.91")).Ok();
        var stalled = await Eventually.Until(() => Pods("app=nginx"), p => p.Any(x => x.Status is "ErrImagePull" or "ImagePullBackOff"),
            Rollout, "a pod of nginx:1.91 failing to pull");
        Assert.Equal(3, stalled.Count(p => p.Status == "Running" && p.Name.StartsWith(newRs + "-")));
        var status = await Kubectl.Run("rollout", "status", "deployment/nginx-deployment", "--timeout=3s");
        Assert.NotEqual(0, status.ExitCode);
        Assert.Contains("Waiting for deployment \"nginx-deployment\" rollout to finish: 1 out of 3 new replicas have been updated...", status.Stdout);
        Assert.Equal("3", (await Kubectl.Run("get", "deployment", "nginx-deployment", "-o", "jsonpath={.status.availableReplicas}")).Ok().Stdout);

        var missing = await Kubectl.Run("rollout", "undo", "deployment/nginx-deployment", "--to-revision=99");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("unable to find specified revision 99 in history", missing.Stderr);

        Assert.Contains("rolled back", (await Kubectl.Run("rollout", "undo", "deployment/nginx-deployment")).Ok().Stdout);
        await RolledOut("nginx-deployment");
        await Eventually.Until(() => Pods("app=nginx"), p => p.Count == 3 && p.All(x => x.Status == "Running" && x.Name.StartsWith(newRs + "-")),
            Rollout, "the nginx:1.91 pod gone after the undo");
        Assert.Equal("nginx:1.9.1", (await Kubectl.Run("get", "deployment", "nginx-deployment", "-o", "jsonpath={.spec.template.spec.containers[0].image}")).Ok().Stdout);

        var history = TableOutput.Parse(string.Join('\n', (await Kubectl.Run("rollout", "history", "deployment/nginx-deployment")).Ok().Stdout.Split('\n').Skip(1)));
        Assert.Equal(["REVISION", "CHANGE-CAUSE"], history.Headers);
        Assert.Equal(["1", "3", "4"], history.Rows.Select(r => r["REVISION"]));
        Assert.Contains("nginx:1.9.1", (await Kubectl.Run("rollout", "history", "deployment/nginx-deployment", "--revision=4")).Ok().Stdout);
    }

    [Fact]
    public async Task Deleting_a_replica_set_with_cascade_orphan_leaves_its_pods_running_without_an_owner()
    {
        const string manifest = """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: frontend
            spec:
              replicas: 2
              selector:
                matchLabels:
                  tier: frontend
              template:
                metadata:
                  labels:
                    tier: frontend
                spec:
                  containers:
                  - name: php-redis
                    image: nginx:1.14.2
            """;
        (await Kubectl.RunWithInput(manifest, "apply", "-f", "-")).Ok();
        var pods = await Eventually.Until(() => Pods("tier=frontend"), p => p.Count == 2 && p.All(x => x.Status == "Running"), Rollout, "2 frontend pods Running");

        (await Kubectl.Run("delete", "rs", "frontend", "--cascade=orphan")).Ok();
        await Eventually.Until(async () => (await Kubectl.Run("get", "rs", "frontend")).ExitCode, c => c != 0, Rollout, "the ReplicaSet gone");
        var left = (await Kubectl.Run("get", "pods", "-l", "tier=frontend", "-o", "json")).Json()["items"]!.AsArray();
        Assert.Equal(pods.Select(p => p.Name).Order(), left.Select(p => p!["metadata"]!["name"]!.GetValue<string>()).Order());
        Assert.All(left, p => Assert.Null(p!["metadata"]!["ownerReferences"]));

        // Orphans are adopted by a new ReplicaSet that selects them: no new pods.
        (await Kubectl.RunWithInput(manifest, "apply", "-f", "-")).Ok();
        var adopted = await Eventually.Until(async () => (await Kubectl.Run("get", "pods", "-l", "tier=frontend", "-o", "json")).Json()["items"]!.AsArray(),
            p => p.All(x => x!["metadata"]!["ownerReferences"] is JsonArray { Count: 1 }), Rollout, "the orphans adopted");
        Assert.Equal(pods.Select(p => p.Name).Order(), adopted.Select(p => p!["metadata"]!["name"]!.GetValue<string>()).Order());
        (await Kubectl.Run("delete", "rs", "frontend")).Ok();
        await Eventually.Until(() => Pods("tier=frontend"), p => p.Count == 0, Rollout, "the pods collected with their ReplicaSet");
    }

    [Fact]
    public async Task Invalid_deployments_are_refused_with_the_api_servers_422()
    {
        const string manifest = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: mismatched
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: one
              template:
                metadata:
                  labels:
                    app: other
                spec:
                  containers:
                  - name: c
                    image: nginx
            """;
        var refused = await Kubectl.RunWithInput(manifest, "apply", "-f", "-");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("The Deployment \"mismatched\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`", refused.Stderr);
        Assert.NotEqual(0, (await Kubectl.Run("get", "deployment", "mismatched")).ExitCode);
    }

    [Fact]
    public async Task ReplicaSets_and_replication_controllers_scale_patch_edit_and_change_image_with_kubectl()
    {
        const string manifests = """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: verbs-rs
            spec:
              replicas: 1
              selector:
                matchExpressions:
                - {key: tier, operator: In, values: [verbs-rs]}
              template:
                metadata:
                  labels:
                    tier: verbs-rs
                spec:
                  containers:
                  - name: web
                    image: nginx:1.14.2
            ---
            apiVersion: v1
            kind: ReplicationController
            metadata:
              name: verbs-rc
            spec:
              replicas: 1
              selector:
                tier: verbs-rc
              template:
                metadata:
                  labels:
                    tier: verbs-rc
                spec:
                  containers:
                  - name: web
                    image: nginx:1.14.2
            """;
        (await Kubectl.RunWithInput(manifests, "apply", "-f", "-")).Ok();
        foreach (var (kind, tier) in new[] { ("rs", "verbs-rs"), ("rc", "verbs-rc") })
        {
            var name = tier;
            await Eventually.Until(() => Pods($"tier={tier}"), p => p.Count == 1 && p[0].Status == "Running", Rollout, $"{name}: 1 pod Running");

            (await Kubectl.Run("scale", $"{kind}/{name}", "--replicas=3")).Ok();
            await Eventually.Until(() => Pods($"tier={tier}"), p => p.Count(x => x.Status == "Running") == 3, Rollout, $"{name}: 3 pods");
            var table = TableOutput.Parse((await Kubectl.Run("get", kind, name)).Ok().Stdout);
            Assert.Equal(["NAME", "DESIRED", "CURRENT", "READY", "AGE"], table.Headers);
            await Eventually.Until(async () => TableOutput.Parse((await Kubectl.Run("get", kind, name)).Ok().Stdout).Row(name)["READY"],
                r => r == "3", Rollout, $"{name} READY 3");
            // The precondition path of kubectl scale (GET then PUT of /scale).
            Assert.NotEqual(0, (await Kubectl.Run("scale", $"{kind}/{name}", "--current-replicas=5", "--replicas=2")).ExitCode);
            (await Kubectl.Run("scale", $"{kind}/{name}", "--current-replicas=3", "--replicas=2")).Ok();
            await Eventually.Until(() => Pods($"tier={tier}"), p => p.Count == 2, Rollout, $"{name}: scaled down to 2");

            (await Kubectl.Run("patch", kind, name, "--type=merge", "-p", "{\"spec\":{\"replicas\":1}}")).Ok();
            (await Kubectl.Run("patch", kind, name, "--type=json", "-p", "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"nginx:1.16.1\"}]")).Ok();
            (await Kubectl.Run("patch", kind, name, "-p", "{\"metadata\":{\"labels\":{\"patched\":\"strategic\"}}}")).Ok();
            (await Kubectl.Run("set", "image", $"{kind}/{name}", "web=nginx:1.16")).Ok();
            var edit = await Kubectl.RunWithEnvironment(new Dictionary<string, string> { ["EDITOR"] = "sed -i s/nginx:1.16$/nginx:1.15/" }, "edit", kind, name);
            edit.Ok();
            var json = (await Kubectl.Run("get", kind, name, "-o", "json")).Json();
            Assert.Equal(1, json["spec"]!["replicas"]!.GetValue<int>());
            Assert.Equal("strategic", json["metadata"]!["labels"]!["patched"]!.GetValue<string>());
            Assert.Equal("nginx:1.15", json["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
            await Eventually.Until(() => Pods($"tier={tier}"), p => p.Count == 1, Rollout, $"{name}: one pod left");
        }
    }

    [Fact]
    public async Task A_paused_deployment_takes_changes_without_rolling_and_restart_rolls_every_pod()
    {
        (await Kubectl.Run("create", "deployment", "pausable", "--image=nginx:1.14.2", "--replicas=2")).Ok();
        await RolledOut("pausable");
        var first = (await Pods("app=pausable")).Select(p => p.Name).ToHashSet();

        (await Kubectl.Run("rollout", "pause", "deployment/pausable")).Ok();
        (await Kubectl.Run("set", "image", "deployment/pausable", "nginx=nginx:1.16.1")).Ok();
        (await Kubectl.Run("set", "env", "deployment/pausable", "MODE=paused")).Ok();
        var paused = (await Kubectl.Run("get", "deployment", "pausable", "-o", "json")).Json();
        Assert.Equal("DeploymentPaused", paused["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Progressing")!["reason"]!.GetValue<string>());
        Assert.Equal(first, (await Pods("app=pausable")).Select(p => p.Name).ToHashSet());
        Assert.Single(TableOutput.Parse((await Kubectl.Run("get", "rs", "-l", "app=pausable")).Ok().Stdout).Rows);

        (await Kubectl.Run("rollout", "resume", "deployment/pausable")).Ok();
        await RolledOut("pausable");
        var resumed = await Pods("app=pausable");
        Assert.Empty(resumed.Select(p => p.Name).Intersect(first));
        // Both changes in one rollout: one new revision.
        var history = TableOutput.Parse(string.Join('\n', (await Kubectl.Run("rollout", "history", "deployment/pausable")).Ok().Stdout.Split('\n').Skip(1)));
        Assert.Equal(["1", "2"], history.Rows.Select(r => r["REVISION"]));

        (await Kubectl.Run("rollout", "restart", "deployment/pausable")).Ok();
        await RolledOut("pausable");
        Assert.Empty((await Pods("app=pausable")).Select(p => p.Name).Intersect(resumed.Select(p => p.Name)));
    }

    [Fact]
    public async Task Foreground_deletion_keeps_the_deployment_until_its_pods_are_gone()
    {
        // A finalizer of the test's own holds each pod object after its containers stop: the
        // window in which the deployment must still be there, waiting for its dependents, lasts
        // until the test lets the pods go (a grace period could run out on a loaded machine).
        (await Kubectl.RunWithInput("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: fg}
            spec:
              replicas: 2
              selector: {matchLabels: {app: fg}}
              template:
                metadata: {labels: {app: fg}, finalizers: [example.com/hold]}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers: [{name: sleeper, image: busybox, command: [sleep, "3600"]}]
            """, "apply", "-f", "-")).Ok();
        await RolledOut("fg");
        (await Kubectl.Run("delete", "deployment", "fg", "--cascade=foreground", "--wait=false")).Ok();
        var deleting = (await Kubectl.Run("get", "deployment", "fg", "-o", "json")).Json();
        Assert.NotNull(deleting["metadata"]!["deletionTimestamp"]);
        Assert.Contains("foregroundDeletion", deleting["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        var pods = await Eventually.Until(async () => (await Kubectl.Run("get", "pods", "-l", "app=fg", "-o", "json")).Json()["items"]!.AsArray(),
            items => items.Count == 2 && items.All(p => p!["metadata"]!["deletionTimestamp"] is not null), Rollout, "both pods being deleted");
        Assert.Equal(0, (await Kubectl.Run("get", "deployment", "fg")).ExitCode);
        Assert.StartsWith("replicaset.apps/fg-", (await Kubectl.Run("get", "rs", "-l", "app=fg", "-o", "name")).Ok().Stdout);
        foreach (var pod in pods.Select(p => p!["metadata"]!["name"]!.GetValue<string>()))
            (await Kubectl.Run("patch", "pod", pod, "--type=json", "-p", """[{"op":"remove","path":"/metadata/finalizers"}]""")).Ok();
        await Eventually.Until(async () => (await Kubectl.Run("get", "deployment", "fg")).ExitCode, c => c != 0, Rollout, "the deployment gone");
        Assert.Empty(TableOutput.Parse((await Kubectl.Run("get", "pods", "-l", "app=fg")).Stdout).Rows);
        Assert.Empty(TableOutput.Parse((await Kubectl.Run("get", "rs", "-l", "app=fg")).Stdout).Rows);
    }

    private async Task RolledOut(string deployment) =>
        Assert.Contains($"deployment \"{deployment}\" successfully rolled out",
            (await Kubectl.Run("rollout", "status", $"deployment/{deployment}", $"--timeout={(int)Rollout.TotalSeconds}s")).Ok().Stdout);

    /// <summary>
    /// The pods not being deleted, each with a container's waiting reason (ErrImagePull...) or the
    /// pod's phase. From one JSON read: the table's STATUS of a deleted pod is Terminating only until
    /// its containers have stopped (then Completed), which a second read could not tell apart.
    /// </summary>
    private async Task<IReadOnlyList<(string Name, string Status)>> Pods(string selector)
    {
        var list = (await Kubectl.Run("get", "pods", "-l", selector, "-o", "json")).Json();
        return list["items"]!.AsArray().Select(p => p!.AsObject())
            .Where(p => p["metadata"]!["deletionTimestamp"] is null)
            .Select(p => (p["metadata"]!["name"]!.GetValue<string>(),
                p["status"]?["containerStatuses"]?.AsArray().Select(c => c!["state"]?["waiting"]?["reason"]?.GetValue<string>()).FirstOrDefault(r => r is not null)
                ?? p["status"]?["phase"]?.GetValue<string>() ?? ""))
            .ToArray();
    }

    /// <summary>The deployment's ScalingReplicaSet messages in the order they were recorded.</summary>
    private async Task<IReadOnlyList<string>> ScalingEvents(string deployment)
    {
        var events = (await Kubectl.Run("get", "events", "--field-selector", $"involvedObject.name={deployment},reason=ScalingReplicaSet", "-o", "json")).Json();
        return events["items"]!.AsArray().Select(e => e!.AsObject())
            .OrderBy(e => long.Parse(e["metadata"]!["resourceVersion"]!.GetValue<string>()))
            .Select(e => e["message"]!.GetValue<string>()).ToArray();
    }
}
