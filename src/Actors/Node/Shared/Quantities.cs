using k8s.Models;

namespace Akka.KubeEmu.Actors.Node.Shared;

/// <summary>Resource quantities as the kubelet compares them: cpu in millicores, the rest in units.</summary>
public static class Quantities
{
    public static long? MilliValue(string? quantity) =>
        Parse(quantity) is { } v ? (long)Math.Ceiling(v * 1000) : null;

    public static long? Value(string? quantity) =>
        Parse(quantity) is { } v ? (long)Math.Ceiling(v) : null;

    private static decimal? Parse(string? quantity)
    {
        if (string.IsNullOrWhiteSpace(quantity)) return null;
        try
        {
            return new ResourceQuantity(quantity.Trim()).ToDecimal();
        }
        catch (Exception)
        {
            return null;
        }
    }
}
