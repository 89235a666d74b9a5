using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Objects;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.Storage;

public sealed class VolumeProtectionSpecs : StorageSpecBase
{
    [Fact]
    public void A_claim_a_scheduled_pod_mounts_stays_Terminating_until_the_pod_is_deleted()
    {
        StartStorage();
        CreateClaim("data");
        ClaimIn("data", "Bound");
        CreatePodWithClaims("app", "data");
        Bind("app", "node-1");
        SetRunning("app", ready: true);

        Assert.Null(Await(Api.Delete<V1PersistentVolumeClaim>("default", "data")));
        // Give the protection controller every chance to let go: it must not while the pod exists.
        Advance(TimeSpan.FromSeconds(30));
        var claim = Eventually(() => Claim("data") is { Metadata.DeletionTimestamp: not null } c ? c : null, Budget, "claim being deleted");
        Assert.Contains("kubernetes.io/pvc-protection", claim.Metadata.Finalizers);
        Assert.Equal("Terminating", Cells(ResourceCatalog.PersistentVolumeClaims, claim)[1]);

        // A finished pod still holds the claim, as in Kubernetes: only its deletion frees it.
        SetPhase("app", "Succeeded");
        Advance(TimeSpan.FromSeconds(30));
        Assert.NotNull(Claim("data"));

        Assert.Null(Await(Api.Delete<V1Pod>("default", "app", new Actors.Api.Rest.DeleteRequest(GracePeriodSeconds: 0))));
        Gone(() => Claim("data"), "claim data");
    }

    [Fact]
    public void A_claim_only_an_unscheduled_pod_mounts_is_deleted_at_once()
    {
        StartStorage();
        CreateClaim("data");
        ClaimIn("data", "Bound");
        CreatePodWithClaims("waiting", "data");
        Assert.Null(Await(Api.Delete<V1PersistentVolumeClaim>("default", "data")));
        Gone(() => Claim("data"), "claim data");
    }

    [Fact]
    public void A_bound_volume_stays_Terminating_until_its_claim_lets_it_go()
    {
        StartStorage(standardClass: false);
        CreateVolume("vol", "1Gi");
        CreateClaim("data", className: "");
        ClaimIn("data", "Bound");

        Assert.Null(Await(Api.Delete<V1PersistentVolume>("", "vol")));
        Advance(TimeSpan.FromSeconds(30));
        var volume = Eventually(() => Volume("vol") is { Metadata.DeletionTimestamp: not null } v ? v : null, Budget, "volume being deleted");
        Assert.Equal("Terminating", Cells(ResourceCatalog.PersistentVolumes, volume)[4]);

        Assert.Null(Await(Api.Delete<V1PersistentVolumeClaim>("default", "data")));
        Gone(() => Volume("vol"), "volume vol");
    }

    private IReadOnlyList<string?> Cells<T>(ResourceType type, T obj) where T : class =>
        ((System.Text.Json.Nodes.JsonArray)TableConvertor.ToTable(type, [KubeModels.ToJsonObject(obj)], Time.GetUtcNow())["rows"]![0]!["cells"]!)
        .Select(c => c?.ToString()).ToArray();
}
