using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidateNodeUpdate's spec rules (pkg/apis/core/validation): the pod CIDRs and the provider ID
/// are assigned once, by the node IPAM controller and the cloud provider, and never change after.
/// </summary>
public static class NodeValidation
{
    public static void ValidateUpdate(JsonObject node, JsonObject old, List<FieldError> errors)
    {
        var oldCidrs = Strings(KubeObject.At(old, "spec.podCIDRs"));
        var cidrs = Strings(KubeObject.At(node, "spec.podCIDRs"));
        if (oldCidrs.Count > 0)
        {
            // One error per differing entry, as the apiserver compares them index by index.
            var changed = oldCidrs.Count != cidrs.Count ? 1 : oldCidrs.Where((cidr, i) => cidr != cidrs[i]).Count();
            for (var i = 0; i < changed; i++)
                errors.Add(FieldError.ForbiddenField("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid"));
        }
        var providerId = KubeObject.ScalarAt(old, "spec.providerID") ?? "";
        if (providerId.Length > 0 && providerId != (KubeObject.ScalarAt(node, "spec.providerID") ?? ""))
            errors.Add(FieldError.ForbiddenField("spec.providerID", "node updates may not change providerID except from \"\" to valid"));
    }

    private static List<string> Strings(JsonNode? list) =>
        (list as JsonArray)?.Select(KubeObject.ScalarText).OfType<string>().ToList() ?? [];
}
