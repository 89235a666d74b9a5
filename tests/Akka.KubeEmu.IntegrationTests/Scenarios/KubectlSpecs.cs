using System.Text.Json.Nodes;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>Issue E1 steps 1-3 with kubectl v1.32 (the one on PATH): what a user does on day one.</summary>
[Collection("shared cluster")]
public sealed class KubectlSpecs(SharedCluster fixture)
{
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "config", "examples");
    private KubeEmuCluster Cluster => fixture.Cluster;
    private Kubectl Kubectl => Cluster.Kubectl;

    [Fact]
    public void Up_printed_its_processes_and_how_to_use_the_cluster()
    {
        var table = TableOutput.Parse(string.Join('\n', Cluster.UpOutput.Split('\n').SkipWhile(l => !l.StartsWith("NAME")).TakeWhile(l => l.Trim().Length > 0)));
        Assert.Equal(["NAME", "PID", "AKKA ADDRESS", "ROLE"], table.Headers);
        Assert.Equal(["control-plane", "node-1", "node-2", "node-3"], table.Rows.Select(r => r["NAME"]));
        Assert.All(table.Rows, r => Assert.StartsWith("akka.trttl.tcp://kubeemu@127.0.0.1:", r["AKKA ADDRESS"]));
        Assert.Contains($"export KUBECONFIG={Cluster.KubeconfigPath}", Cluster.UpOutput);

        var processes = Cluster.Processes();
        Assert.Equal(4, processes.Count);
        // Each entry's command starts the same process again: the same subcommand and name.
        Assert.All(processes, p =>
        {
            var command = p["command"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
            Assert.Contains(p["role"]!.GetValue<string>(), command);
            Assert.Equal(p["name"]!.GetValue<string>(), command[command.IndexOf("--name") + 1]);
        });
    }

    [Fact]
    public async Task Get_nodes_shows_three_Ready_nodes_with_the_real_columns()
    {
        var nodes = TableOutput.Parse((await Kubectl.Run("get", "nodes")).Ok().Stdout);
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION"], nodes.Headers);
        Assert.Equal(["node-1", "node-2", "node-3"], nodes.Rows.Select(r => r["NAME"]));
        Assert.All(nodes.Rows, r => Assert.Equal(("Ready", "<none>", "v1.32.4"), (r["STATUS"], r["ROLES"], r["VERSION"])));

        var wide = TableOutput.Parse((await Kubectl.Run("get", "nodes", "-o", "wide")).Ok().Stdout);
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"], wide.Headers);
        var namespaces = TableOutput.Parse((await Kubectl.Run("get", "namespaces")).Ok().Stdout);
        Assert.Equal(["NAME", "STATUS", "AGE"], namespaces.Headers);
        Assert.Superset(new HashSet<string> { "default", "kube-system", "kube-public", "kube-node-lease" }, namespaces.Rows.Select(r => r["NAME"]).ToHashSet());
    }

    [Theory]
    [InlineData("mysql-resources-pod.yaml", "default", "db", "1/1")]
    [InlineData("development-busybox.yaml", "development", "busybox", "1/1")]
    [InlineData("simple-webapp-pod.yaml", "default", "simple-webapp", "2/2")]
    [InlineData("whoami-pod.yaml", "whoami", "whoami", "2/2")]
    public async Task Documentation_manifests_apply_and_their_pods_run(string manifest, string ns, string pod, string ready)
    {
        (await Kubectl.Run("apply", "-f", Path.Combine(Examples, manifest))).Ok();
        var row = await Eventually.Until(async () => TableOutput.Parse((await Kubectl.Run("get", "pods", "-n", ns, "-o", "wide")).Ok().Stdout).Row(pod),
            r => r["STATUS"] == "Running" && r["READY"] == ready, TimeSpan.FromSeconds(30), $"{pod} Running {ready}");
        Assert.Matches(@"^10\.244\.\d+\.\d+$", row["IP"]);
        Assert.StartsWith("node-", row["NODE"]);

        var json = (await Kubectl.Run("get", "pod", pod, "-n", ns, "-o", "json")).Json();
        Assert.Equal("Running", json["status"]!["phase"]!.GetValue<string>());
        Assert.All(json["status"]!["containerStatuses"]!.AsArray(), c => Assert.True(c!["ready"]!.GetValue<bool>()));
        Assert.Contains("phase: Running", (await Kubectl.Run("get", "pod", pod, "-n", ns, "-o", "yaml")).Ok().Stdout);

        // A second apply of the same manifest is a no-op, as on a real cluster.
        Assert.Contains("unchanged", (await Kubectl.Run("apply", "-f", Path.Combine(Examples, manifest))).Ok().Stdout);
    }

    [Fact]
    public async Task Describe_shows_conditions_and_the_events_of_pods_and_nodes()
    {
        (await Kubectl.Run("apply", "-f", Path.Combine(Examples, "mysql-resources-pod.yaml"))).Ok();
        await Eventually.Until(() => Kubectl.PodPhase("db"), p => p == "Running", TimeSpan.FromSeconds(30), "db Running");
        var pod = await Eventually.Until(async () => (await Kubectl.Run("describe", "pod", "db")).Ok().Stdout,
            d => d.Contains("Started") && d.Contains("Scheduled"), TimeSpan.FromSeconds(15), "describe pod db with events");
        Assert.Contains("Successfully assigned default/db to node-", pod);
        Assert.Contains("Created container: db", pod);
        Assert.Matches(@"QoS Class:\s+Burstable", pod);

        var node = (await Kubectl.Run("describe", "node", "node-1")).Ok().Stdout;
        Assert.Contains("Conditions:", node);
        Assert.Matches(@"Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status", node);
        Assert.Contains("Non-terminated Pods:", node);
        Assert.Contains("Starting kubelet.", node);
        Assert.Matches(@"HolderIdentity:\s+node-1", node);
    }

    [Fact]
    public async Task Label_annotate_events_api_resources_and_version()
    {
        (await Kubectl.Run("apply", "-f", Path.Combine(Examples, "mysql-resources-pod.yaml"))).Ok();
        Assert.Contains("pod/db labeled", (await Kubectl.Run("label", "pod", "db", "tier=data", "--overwrite")).Ok().Stdout);
        Assert.Contains("pod/db annotated", (await Kubectl.Run("annotate", "pod", "db", "owner=team-a", "--overwrite")).Ok().Stdout);
        var meta = (await Kubectl.Run("get", "pod", "db", "-o", "json")).Json()["metadata"]!;
        Assert.Equal("data", meta["labels"]!["tier"]!.GetValue<string>());
        Assert.Equal("team-a", meta["annotations"]!["owner"]!.GetValue<string>());
        Assert.Single(TableOutput.Parse((await Kubectl.Run("get", "pods", "-l", "tier=data")).Ok().Stdout).Rows);

        var events = TableOutput.Parse((await Kubectl.Run("get", "events")).Ok().Stdout);
        Assert.Equal(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], events.Headers);
        Assert.Contains(events.Rows, r => r["REASON"] == "Scheduled" && r["OBJECT"] == "pod/db");

        var resources = TableOutput.Parse((await Kubectl.Run("api-resources")).Ok().Stdout);
        Assert.Contains(resources.Rows, r => r["NAME"] == "pods" && r["SHORTNAMES"] == "po" && r["APIVERSION"] == "v1" && r["KIND"] == "Pod");
        Assert.Contains(resources.Rows, r => r["NAME"] == "deployments" && r["APIVERSION"] == "apps/v1");
        Assert.Contains("Server Version: v1.32.4", (await Kubectl.Run("version")).Ok().Stdout);

        // Every cluster has the kubernetes Service and, in every namespace, the default ServiceAccount and the root CA.
        var services = TableOutput.Parse((await Kubectl.Run("get", "services")).Ok().Stdout);
        Assert.Equal(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], services.Headers);
        var kubernetes = services.Row("kubernetes");
        Assert.Equal(("ClusterIP", "10.96.0.1", "<none>", "443/TCP"), (kubernetes["TYPE"], kubernetes["CLUSTER-IP"], kubernetes["EXTERNAL-IP"], kubernetes["PORT(S)"]));
        Assert.Contains(TableOutput.Parse((await Kubectl.Run("get", "serviceaccounts")).Ok().Stdout).Rows, r => r["NAME"] == "default");
        Assert.Contains(TableOutput.Parse((await Kubectl.Run("get", "configmaps")).Ok().Stdout).Rows, r => r["NAME"] == "kube-root-ca.crt");
    }

    [Fact]
    public async Task Get_raw_serves_the_health_checks_and_the_metrics_of_the_api_server()
    {
        var readyz = (await Kubectl.Run("get", "--raw", "/readyz?verbose")).Ok().Stdout;
        Assert.Contains("[+]etcd ok", readyz);
        Assert.EndsWith("readyz check passed", readyz.TrimEnd());
        Assert.Equal("ok", (await Kubectl.Run("get", "--raw", "/livez/etcd")).Ok().Stdout.Trim());

        (await Kubectl.Run("get", "nodes")).Ok();
        var metrics = (await Kubectl.Run("get", "--raw", "/metrics")).Ok().Stdout;
        Assert.Contains("""apiserver_request_total{verb="LIST",dry_run="",group="",version="v1",resource="nodes",subresource="",scope="cluster",component="apiserver",code="200"}""", metrics);
        Assert.Contains("""kubeemu_cluster_members{role="node",status="Up"} 3""", metrics);
    }

    [Fact]
    public async Task Kubeemu_compact_sends_a_watch_from_before_it_to_410_while_chunked_lists_keep_working()
    {
        (await Kubectl.RunWithInput("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: compacted\n", "apply", "-f", "-")).Ok();
        var list = JsonNode.Parse((await Kubectl.Run("get", "--raw", "/api/v1/namespaces/compacted/configmaps")).Ok().Stdout)!;
        var before = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        foreach (var name in new[] { "one", "two", "three" })
            (await Kubectl.Run("create", "configmap", name, "-n", "compacted")).Ok();

        var compact = (await KubeEmuCluster.Run(KubeEmuCluster.Executable, TimeSpan.FromSeconds(30), "compact", "--state-dir", Cluster.StateDir)).Ok();
        Assert.StartsWith("compacted resourceVersion ", compact.Stdout);

        // What a reflector resuming from an old resourceVersion gets: one ERROR event, 410 Expired.
        var watch = (await Kubectl.Run("get", "--raw", $"/api/v1/namespaces/compacted/configmaps?watch=1&resourceVersion={before}")).Ok().Stdout;
        var error = JsonNode.Parse(watch.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single())!;
        Assert.Equal("ERROR", error["type"]!.GetValue<string>());
        Assert.Equal((410, "Expired"), (error["object"]!["code"]!.GetValue<int>(), error["object"]!["reason"]!.GetValue<string>()));

        // kubectl's own chunked list reads one snapshot page by page.
        var table = TableOutput.Parse((await Kubectl.Run("get", "configmaps", "-n", "compacted", "--chunk-size=1")).Ok().Stdout);
        Assert.Equal(["one", "three", "two"], table.Rows.Select(r => r["NAME"]).Where(n => n != "kube-root-ca.crt"));
    }

    [Fact]
    public async Task Apply_server_side_merges_owns_conflicts_and_takes_over_a_client_side_apply()
    {
        const string Manifest = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: ssa
              namespace: default
            data:
              color: blue
              size: L
            """;
        Assert.Equal("configmap/ssa created", (await Kubectl.RunWithInput(Manifest, "apply", "-f", "-")).Ok().Stdout.Trim());
        // kubectl's first server-side apply over its own client-side apply takes its fields over.
        Assert.Equal("configmap/ssa serverside-applied",
            (await Kubectl.RunWithInput(Manifest.Replace("blue", "green"), "apply", "--server-side", "-f", "-")).Ok().Stdout.Trim());

        (await Kubectl.Run("patch", "configmap", "ssa", "-p", """{"data":{"size":"XL"}}""")).Ok();
        var conflict = await Kubectl.RunWithInput(Manifest.Replace("blue", "green"), "apply", "--server-side", "-f", "-");
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.StartsWith("error: Apply failed with 1 conflict: conflict with \"kubectl-patch\" using v1: .data.size", conflict.Stderr);

        (await Kubectl.RunWithInput(Manifest.Replace("blue", "green"), "apply", "--server-side", "--force-conflicts", "-f", "-")).Ok();
        var cm = JsonNode.Parse((await Kubectl.Run("get", "configmap", "ssa", "-o", "json", "--show-managed-fields")).Ok().Stdout)!;
        Assert.Equal(("green", "L"), ((string?)cm["data"]!["color"], (string?)cm["data"]!["size"]));
        var managers = cm["metadata"]!["managedFields"]!.AsArray().Select(e => $"{e!["manager"]}/{e["operation"]}").ToArray();
        Assert.Contains("kubectl/Apply", managers);
        Assert.DoesNotContain("kubectl-patch/Update", managers);
    }

    [Fact]
    public async Task Get_pods_watch_streams_a_new_pod_until_it_runs()
    {
        (await Kubectl.RunWithInput("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: watched\n", "apply", "-f", "-")).Ok();
        using var watch = Kubectl.Start("get", "pods", "-n", "watched", "-w");
        try
        {
            (await Kubectl.RunWithInput("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: watched\nspec:\n  containers:\n  - name: web\n    image: nginx\n",
                "apply", "-f", "-")).Ok();
            var lines = new List<string>();
            await Eventually.Until(async () =>
            {
                var line = await watch.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
                if (line is not null) lines.Add(line);
                return lines;
            }, l => l.Any(x => x.StartsWith("web ") && x.Contains("Running") && x.Contains("1/1")), TimeSpan.FromSeconds(30), "the watch showing web Running");
            Assert.StartsWith("NAME", lines[0]);
            Assert.Contains(lines, l => l.StartsWith("web ") && (l.Contains("Pending") || l.Contains("ContainerCreating")));
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Delete_pod_terminates_it_gracefully_and_it_is_gone()
    {
        (await Kubectl.RunWithInput("apiVersion: v1\nkind: Pod\nmetadata:\n  name: goner\nspec:\n  containers:\n  - name: web\n    image: nginx\n", "apply", "-f", "-")).Ok();
        await Eventually.Until(() => Kubectl.PodPhase("goner"), p => p == "Running", TimeSpan.FromSeconds(30), "goner Running");
        Assert.Contains("pod \"goner\" deleted", (await Kubectl.Run("delete", "pod", "goner")).Ok().Stdout);
        var after = await Kubectl.Run("get", "pod", "goner");
        Assert.NotEqual(0, after.ExitCode);
        Assert.Contains("Error from server (NotFound): pods \"goner\" not found", after.Stderr);
        var killing = (await Kubectl.Run("get", "events", "--field-selector", "involvedObject.name=goner,reason=Killing", "-o", "json")).Json();
        Assert.Equal("Stopping container web", killing["items"]!.AsArray().Single()!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_and_run_send_protobuf_and_store_what_kubectl_built()
    {
        // The typed subcommands encode their objects as application/vnd.kubernetes.protobuf.
        Assert.Contains("namespace/proto created", (await Kubectl.Run("create", "namespace", "proto")).Ok().Stdout);
        (await Kubectl.Run("create", "configmap", "settings", "-n", "proto", "--from-literal=mode=fast", "--from-literal=empty=")).Ok();
        (await Kubectl.Run("create", "secret", "generic", "creds", "-n", "proto", "--from-literal=password=s3cr3t")).Ok();
        (await Kubectl.Run("create", "deployment", "web", "-n", "proto", "--image=nginx:1.27", "--replicas=0", "--port=80")).Ok();
        (await Kubectl.Run("create", "service", "nodeport", "web", "-n", "proto", "--tcp=80:8080", "--node-port=30080")).Ok();
        (await Kubectl.Run("create", "job", "once", "-n", "proto", "--image=busybox", "--", "sleep", "5")).Ok();
        Assert.Contains("pod/runner created", (await Kubectl.Run("run", "runner", "-n", "proto", "--image=busybox", "--env=MODE=fast", "--labels=tier=batch", "--", "sleep", "3600")).Ok().Stdout);

        var configMap = (await Kubectl.Run("get", "configmap", "settings", "-n", "proto", "-o", "json")).Json();
        Assert.Equal("fast", configMap["data"]!["mode"]!.GetValue<string>());
        Assert.Equal("", configMap["data"]!["empty"]!.GetValue<string>());
        var secret = (await Kubectl.Run("get", "secret", "creds", "-n", "proto", "-o", "json")).Json();
        Assert.Equal(("Opaque", "czNjcjN0"), (secret["type"]!.GetValue<string>(), secret["data"]!["password"]!.GetValue<string>()));
        var deployment = (await Kubectl.Run("get", "deployment", "web", "-n", "proto", "-o", "json")).Json();
        Assert.Equal(0, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(80, deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal("25%", deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxSurge"]!.GetValue<string>());
        var port = (await Kubectl.Run("get", "service", "web", "-n", "proto", "-o", "json")).Json()["spec"]!["ports"]![0]!;
        Assert.Equal((80, 8080, 30080), (port["port"]!.GetValue<int>(), port["targetPort"]!.GetValue<int>(), port["nodePort"]!.GetValue<int>()));

        await Eventually.Until(() => Kubectl.PodPhase("runner", "proto"), p => p == "Running", TimeSpan.FromSeconds(30), "runner Running");
        var pod = (await Kubectl.Run("get", "pod", "runner", "-n", "proto", "-o", "json")).Json();
        Assert.Equal("batch", pod["metadata"]!["labels"]!["tier"]!.GetValue<string>());
        Assert.Equal(["sleep", "3600"], pod["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => a!.GetValue<string>()));

        var duplicate = await Kubectl.Run("create", "namespace", "proto");
        Assert.Contains("Error from server (AlreadyExists): namespaces \"proto\" already exists", duplicate.Stderr);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_the_api_servers_messages()
    {
        var invalid = await Kubectl.RunWithInput("apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers:\n  - name: c\n", "apply", "-f", "-");
        Assert.Contains("The Pod \"Bad_Name\" is invalid", invalid.Stderr);
        Assert.Contains("metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", invalid.Stderr);
        Assert.Contains("spec.containers[0].image: Required value", invalid.Stderr);

        var unknown = await Kubectl.RunWithInput("apiVersion: v1\nkind: Pod\nmetadata:\n  name: typo\nspec:\n  containers:\n  - name: c\n    image: nginx\n    imagePullPolizy: Always\n", "apply", "-f", "-");
        Assert.Contains("strict decoding error: unknown field \"spec.containers[0].imagePullPolizy\"", unknown.Stderr);

        var map = await Kubectl.RunWithInput("apiVersion: v1\nkind: Pod\nmetadata:\n  name: mapped\nspec:\n  containers:\n    name: c\n    image: nginx\n", "apply", "--validate=false", "-f", "-");
        Assert.Contains("json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container", map.Stderr);

        var kind = await Kubectl.RunWithInput("apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n", "apply", "-f", "-");
        Assert.Contains("no matches for kind \"Widget\" in version \"v1\"", kind.Stderr);

        // The cluster is unharmed: the control plane still answers.
        (await Kubectl.Run("get", "nodes")).Ok();
    }
}
