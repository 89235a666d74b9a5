using System.Text.Json.Nodes;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Objects;

/// <summary>resource.Quantity for storage sizes: parsed from the JSON text, compared as numbers, printed canonically ("1Gi").</summary>
public static class StorageQuantity
{
    public const string FormatMessage = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    /// <summary>The value of a quantity, or null when it is missing or not a quantity.</summary>
    public static decimal? Parse(JsonNode? node) => Parse(KubeObject.ScalarText(node));

    public static decimal? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try { return new ResourceQuantity(text).ToDecimal(); }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException) { return null; }
    }

    /// <summary>Quantity.String(): the canonical form kubectl prints ("1Gi" for "1024Mi").</summary>
    public static string Canonical(ResourceQuantity? quantity) => quantity?.ToString() ?? "0";
}
