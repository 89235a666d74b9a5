using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using static Akka.KubeEmu.Actors.Api.Defaulting.PodDefaults;

namespace Akka.KubeEmu.Actors.Api.Defaulting;

/// <summary>
/// SetDefaults_PersistentVolume (core/v1) and the storage.k8s.io/v1 defaults: what kubectl reads
/// back after creating a volume, a class or a CSI driver without those fields.
/// </summary>
public static class StorageDefaults
{
    /// <summary>Defaults <paramref name="obj"/> when it is a storage kind; false for any other kind.</summary>
    public static bool Apply(string kind, JsonObject obj)
    {
        switch (kind)
        {
            case "PersistentVolume":
                var spec = KubeObject.EnsureObject(obj, "spec");
                Default(spec, "persistentVolumeReclaimPolicy", "Retain");
                Default(spec, "volumeMode", "Filesystem");
                if (spec["hostPath"] is JsonObject hostPath) Default(hostPath, "type", "");
                return true;
            case "StorageClass":
                Default(obj, "reclaimPolicy", "Delete");
                Default(obj, "volumeBindingMode", "Immediate");
                return true;
            case "CSIDriver":
                var driver = KubeObject.EnsureObject(obj, "spec");
                Default(driver, "attachRequired", true);
                Default(driver, "podInfoOnMount", false);
                Default(driver, "storageCapacity", false);
                Default(driver, "fsGroupPolicy", "ReadWriteOnceWithFSType");
                Default(driver, "volumeLifecycleModes", new JsonArray("Persistent"));
                Default(driver, "requiresRepublish", false);
                Default(driver, "seLinuxMount", false);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The volume strategy's PrepareForCreate: a new volume starts Pending, whatever status it was sent with.</summary>
    public static void PrepareVolumeForCreate(JsonObject obj) => obj["status"] = new JsonObject { ["phase"] = "Pending" };
}
