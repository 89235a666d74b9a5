using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E4 (storage) with the real kubectl: the default StorageClass, dynamic provisioning, a
/// volume made by hand, reclaim by policy, a pod that waits for its claim, and a claim in use that
/// stays Terminating until its pod goes.
/// </summary>
[Collection("clusters")]
public sealed class StorageSpecs
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    private const string Claims = """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: data
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 1Gi
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: manual
        spec:
          capacity:
            storage: 5Gi
          accessModes: [ReadWriteOnce]
          storageClassName: ""
          hostPath:
            path: /mnt/manual
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: claim-manual
        spec:
          storageClassName: ""
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 2Gi
        """;

    private const string PodWithClaim = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: app
        spec:
          containers:
          - name: app
            image: nginx:1.27
            volumeMounts:
            - name: data
              mountPath: /data
          volumes:
          - name: data
            persistentVolumeClaim:
              claimName: late
        """;

    private const string LateClaim = """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: late
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 100Mi
        """;

    [Fact]
    public async Task Claims_bind_to_provisioned_and_hand_made_volumes_pods_wait_for_them_and_in_use_claims_stay_Terminating()
    {
        await using var cluster = await KubeEmuCluster.Up(nodes: 3);
        var kubectl = cluster.Kubectl;

        var classes = TableOutput.Parse((await kubectl.Run("get", "sc")).Ok().Stdout);
        Assert.Equal(["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"], classes.Headers);
        var standard = classes.Row("standard (default)");
        Assert.Equal(("kubeemu.io/local", "Delete", "Immediate", "false"),
            (standard["PROVISIONER"], standard["RECLAIMPOLICY"], standard["VOLUMEBINDINGMODE"], standard["ALLOWVOLUMEEXPANSION"]));

        // A claim without a class gets the default one and a volume made for it; a hand-made volume binds its match.
        (await kubectl.RunWithInput(Claims, "apply", "-f", "-")).Ok();
        var claims = await Eventually.Until(async () => TableOutput.Parse((await kubectl.Run("get", "pvc")).Ok().Stdout),
            t => t.Rows.Count == 2 && t.Rows.All(r => r["STATUS"] == "Bound"), Settle, "both claims Bound");
        Assert.Equal(["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"], claims.Headers);
        var uid = (await kubectl.Run("get", "pvc", "data", "-o", "jsonpath={.metadata.uid}")).Ok().Stdout.Trim();
        var provisioned = "pvc-" + uid;
        Assert.Equal((provisioned, "1Gi", "RWO", "standard"),
            (claims.Row("data")["VOLUME"], claims.Row("data")["CAPACITY"], claims.Row("data")["ACCESS MODES"], claims.Row("data")["STORAGECLASS"]));
        Assert.Equal(("manual", "5Gi", ""), (claims.Row("claim-manual")["VOLUME"], claims.Row("claim-manual")["CAPACITY"], claims.Row("claim-manual")["STORAGECLASS"]));

        var volumes = TableOutput.Parse((await kubectl.Run("get", "pv")).Ok().Stdout);
        Assert.Equal(["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"],
            volumes.Headers);
        var volume = volumes.Row(provisioned);
        Assert.Equal(("1Gi", "RWO", "Delete", "Bound", "default/data", "standard"),
            (volume["CAPACITY"], volume["ACCESS MODES"], volume["RECLAIM POLICY"], volume["STATUS"], volume["CLAIM"], volume["STORAGECLASS"]));
        Assert.Equal(("Retain", "Bound", "default/claim-manual"),
            (volumes.Row("manual")["RECLAIM POLICY"], volumes.Row("manual")["STATUS"], volumes.Row("manual")["CLAIM"]));
        Assert.Contains($"Successfully provisioned volume {provisioned}", (await kubectl.Run("describe", "pvc", "data")).Ok().Stdout);

        // Deleting the claims: the provisioned volume goes (Delete), the hand-made one stays Released (Retain).
        (await kubectl.Run("delete", "pvc", "data", "claim-manual")).Ok();
        await Eventually.Until(async () => TableOutput.Parse((await kubectl.Run("get", "pv")).Ok().Stdout),
            t => t.Rows.Count == 1 && t.Row("manual")["STATUS"] == "Released", Settle, "the provisioned volume deleted, manual Released");

        // A pod whose claim does not exist yet stays Pending with kube-scheduler's reason, then runs once the claim binds.
        (await kubectl.RunWithInput(PodWithClaim, "apply", "-f", "-")).Ok();
        var reason = await Eventually.Until(
            async () => (await kubectl.Run("get", "pod", "app", "-o", "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].message}")).Ok().Stdout,
            m => m.Length > 0, Settle, "the PodScheduled message");
        Assert.Equal("0/3 nodes are available: persistentvolumeclaim \"late\" not found. " +
                     "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.", reason);
        Assert.Equal("Pending", await kubectl.PodPhase("app"));
        (await kubectl.RunWithInput(LateClaim, "apply", "-f", "-")).Ok();
        await Eventually.Until(() => kubectl.PodPhase("app"), p => p == "Running", Settle, "the pod Running once its claim is bound");

        // In use: the claim shows Terminating until the pod is deleted.
        (await kubectl.Run("delete", "pvc", "late", "--wait=false")).Ok();
        var terminating = TableOutput.Parse((await kubectl.Run("get", "pvc", "late")).Ok().Stdout);
        Assert.Equal("Terminating", terminating.Row("late")["STATUS"]);
        (await kubectl.Run("delete", "pod", "app", "--grace-period=0", "--force")).Ok();
        await Eventually.Until(async () => (await kubectl.Run("get", "pvc", "-o", "name")).Ok().Stdout.Trim(), s => s.Length == 0,
            Settle, "the claim gone with its pod");
    }
}
