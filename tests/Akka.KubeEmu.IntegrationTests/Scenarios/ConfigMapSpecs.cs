using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E6 (ConfigMaps, Secrets, downward API) with the real kubectl, on one cluster: objects
/// made by `kubectl create configmap|secret` and printed as on a real cluster, a pod that shows
/// ConfigMap and Secret values from env and files in its logs and sees a changed ConfigMap in its
/// mounted file, a pod waiting in ContainerCreating on a missing ConfigMap (FailedMount in
/// describe) that starts once it is created, and an immutable ConfigMap refusing a change.
/// </summary>
[Collection("shared cluster")]
public sealed class ConfigMapSpecs(SharedCluster shared) : IAsyncLifetime
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(30);
    private Kubectl Kubectl { get; set; } = null!;

    public async Task InitializeAsync() => Kubectl = await shared.Namespace("configmaps");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ConfigMaps_and_Secrets_reach_containers_as_env_and_files_a_missing_one_holds_the_pod_and_a_change_reaches_the_mounted_file()
    {
        var properties = Path.Combine(Path.GetTempPath(), $"game-{Guid.NewGuid():N}.properties");
        await File.WriteAllTextAsync(properties, "enemies=aliens\nlives=3\n");
        var envFile = Path.Combine(Path.GetTempPath(), $"ui-{Guid.NewGuid():N}.env");
        await File.WriteAllTextAsync(envFile, "# comment\ncolor=blue\nhow=fairlyNice\n");
        try
        {
            (await Kubectl.Run("create", "configmap", "game-config", "--from-literal=color=blue", $"--from-file=game.properties={properties}")).Ok();
            (await Kubectl.Run("create", "configmap", "ui-config", $"--from-env-file={envFile}")).Ok();
            (await Kubectl.Run("create", "secret", "generic", "db-pass", "--from-literal=password=s3cr3t!")).Ok();
        }
        finally
        {
            File.Delete(properties);
            File.Delete(envFile);
        }
        const string manifest = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: reader
              labels: {app: reader}
            spec:
              containers:
              - name: app
                image: busybox
                command: [sh, -c, 'while true; do echo "env=$COLOR ui=$UI_how pw=$PASSWORD file=$(cat /etc/game/color) lives=$(grep lives /etc/game/game.properties) app=$(cat /etc/info/app)"; sleep 1; done']
                env:
                - name: COLOR
                  valueFrom: {configMapKeyRef: {name: game-config, key: color}}
                - name: PASSWORD
                  valueFrom: {secretKeyRef: {name: db-pass, key: password}}
                envFrom:
                - {prefix: UI_, configMapRef: {name: ui-config}}
                volumeMounts:
                - {name: game, mountPath: /etc/game}
                - {name: info, mountPath: /etc/info}
              volumes:
              - name: game
                configMap: {name: game-config}
              - name: info
                downwardAPI:
                  items:
                  - path: app
                    fieldRef: {fieldPath: "metadata.labels['app']"}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: kafka-0
            spec:
              containers:
              - name: kafka
                image: busybox
                command: [sh, -c, 'cat /opt/scripts/setup.sh; echo; sleep 3600']
                volumeMounts:
                - {name: scripts, mountPath: /opt/scripts}
              volumes:
              - name: scripts
                configMap: {name: kafka-scripts, defaultMode: 0555}
            """;
        (await Kubectl.RunWithInput(manifest, "apply", "-f", "-")).Ok();

        // kubectl get/describe print the objects as on a real cluster: DATA counts, Secret sizes not values.
        var configMaps = TableOutput.Parse((await Kubectl.Run("get", "configmap", "game-config", "ui-config")).Ok().Stdout);
        Assert.Equal(["2", "2"], configMaps.Rows.Select(r => r["DATA"]));
        var secret = TableOutput.Parse((await Kubectl.Run("get", "secret", "db-pass")).Ok().Stdout).Row("db-pass");
        Assert.Equal(("Opaque", "1"), (secret["TYPE"], secret["DATA"]));
        var described = (await Kubectl.Run("describe", "secret", "db-pass")).Ok().Stdout;
        Assert.Contains("password:  7 bytes", described);
        Assert.DoesNotContain("s3cr3t", described);

        // The pod whose ConfigMap volume does not exist waits in ContainerCreating with FailedMount.
        var waiting = await Eventually.Until(async () => (await Kubectl.Run("describe", "pod", "kafka-0")).Ok().Stdout,
            s => s.Contains("FailedMount"), Run, "FailedMount in describe");
        Assert.Contains("MountVolume.SetUp failed for volume \"scripts\" : configmap \"kafka-scripts\" not found", waiting);
        Assert.Equal("ContainerCreating", TableOutput.Parse((await Kubectl.Run("get", "pod", "kafka-0")).Ok().Stdout).Row("kafka-0")["STATUS"]);

        // env, envFrom with its prefix, the Secret decoded, the mounted files and the downward API in the logs.
        var logs = await Eventually.Until(async () => (await Kubectl.Run("logs", "reader")).Stdout, s => s.Contains("env="), Run, "the reader's first line");
        Assert.StartsWith("env=blue ui=fairlyNice pw=s3cr3t! file=blue lives=lives=3 app=reader\n", logs);

        // Created now, the ConfigMap lets the waiting pod start (at its next mount attempt).
        (await Kubectl.Run("create", "configmap", "kafka-scripts", "--from-literal=setup.sh=echo setting up kafka")).Ok();
        await Eventually.Until(async () => (await Kubectl.Run("get", "pod", "kafka-0", "-o", "jsonpath={.status.phase}")).Ok().Stdout,
            s => s == "Running", Run, "kafka-0 running");
        Assert.Equal("echo setting up kafka\n", (await Kubectl.Run("logs", "kafka-0")).Ok().Stdout);

        // A change reaches the mounted file within the kubelet's sync period; the env keeps its start value.
        (await Kubectl.Run("patch", "configmap", "game-config", "-p", """{"data":{"color":"green"}}""")).Ok();
        var updated = await Eventually.Until(async () => (await Kubectl.Run("logs", "reader", "--tail", "1")).Ok().Stdout,
            s => s.Contains("file=green"), Run, "the updated file");
        Assert.StartsWith("env=blue ", updated);

        // An immutable ConfigMap refuses a data change with the API server's 422.
        (await Kubectl.RunWithInput("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: frozen}
            immutable: true
            data: {mode: fixed}
            """, "apply", "-f", "-")).Ok();
        var refused = await Kubectl.Run("patch", "configmap", "frozen", "-p", """{"data":{"mode":"changed"}}""");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("The ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set", refused.Stderr);
    }
}
