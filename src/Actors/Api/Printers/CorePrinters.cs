using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>The small core kinds: namespaces, configmaps, secrets, serviceaccounts, endpoints, leases (claims and volumes: StoragePrinters).</summary>
public static class CorePrinters
{
    public static readonly Printer Namespace = new(
        [Column.NameColumn, new("Status", "The status of the namespace"), Column.Age],
        (o, now) => [KubeObject.Name(o), KubeObject.ScalarAt(o, "status.phase") ?? "", Age(o, now)]);

    public static readonly Printer ConfigMap = new(
        [Column.NameColumn, new("Data", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."), Column.Age],
        (o, now) => [KubeObject.Name(o), Count(o["data"]) + Count(o["binaryData"]), Age(o, now)]);

    public static readonly Printer Secret = new(
        [Column.NameColumn, new("Type", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
         new("Data", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"), Column.Age],
        (o, now) => [KubeObject.Name(o), KubeObject.String(o, "type") ?? "", Count(o["data"]), Age(o, now)]);

    public static readonly Printer ServiceAccount = new(
        [Column.NameColumn, new("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), Column.Age],
        (o, now) => [KubeObject.Name(o), (o["secrets"] as JsonArray)?.Count ?? 0, Age(o, now)]);

    public static readonly Printer Lease = new(
        [Column.NameColumn, new("Holder", "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."), Column.Age],
        (o, now) => [KubeObject.Name(o), KubeObject.ScalarAt(o, "spec.holderIdentity") ?? "", Age(o, now)]);

    public static readonly Printer Endpoints = new(
        [Column.NameColumn, new("Endpoints", "Endpoints is the list of endpoints."), Column.Age],
        (o, now) => [KubeObject.Name(o), FormatEndpoints(o), Age(o, now)]);

    /// <summary>
    /// printResourceQuota as kube-apiserver v1.32 prints it (Age second): each resource of status.hard,
    /// sorted, as "name: used/hard"; the limits.* ones in LIMIT, the others in REQUEST.
    /// </summary>
    public static readonly Printer ResourceQuota = new(
        [Column.NameColumn, Column.Age,
         new("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
         new("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.")],
        (o, now) =>
        {
            var hard = KubeObject.At(o, "status.hard") as JsonObject;
            var used = KubeObject.At(o, "status.used") as JsonObject;
            var requests = new List<string>();
            var limits = new List<string>();
            foreach (var (resource, value) in (hard ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var text = $"{resource}: {Quantity(used?[resource])}/{Quantity(value)}";
                if (resource.Split('.') is { Length: > 1 } pieces && pieces[0] == "limits") limits.Add(text);
                else requests.Add(text);
            }
            return [KubeObject.Name(o), Age(o, now), string.Join(", ", requests), string.Join(", ", limits)];
        });

    /// <summary>Quantity.String() of a quantity that may be missing (the zero quantity: "0").</summary>
    public static string Quantity(JsonNode? node)
    {
        if (KubeObject.ScalarText(node) is not { } text) return "0";
        try { return StorageQuantity.Canonical(new k8s.Models.ResourceQuantity(text)); }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException) { return text; }
    }

    public static string Age(JsonObject o, DateTimeOffset now) =>
        KubeObject.ParseTimestamp(KubeObject.ScalarAt(o, "metadata.creationTimestamp")) is { } t ? HumanDuration.Format(now - t) : "<unknown>";

    private static int Count(JsonNode? map) => map is JsonObject o ? o.Count : 0;

    /// <summary>formatEndpoints: per subset, each port with every address (ip:port), up to three, then "+ N more...".</summary>
    private static string FormatEndpoints(JsonObject o)
    {
        var pairs = new List<string>();
        foreach (var subset in (o["subsets"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var ports = (subset["ports"] as JsonArray)?.OfType<JsonObject>().Select(p => KubeObject.ScalarText(p["port"])).ToList() ?? [];
            var ips = (subset["addresses"] as JsonArray)?.OfType<JsonObject>().Select(a => KubeObject.String(a, "ip") ?? "").ToList() ?? [];
            // A headless Service without ports lists bare addresses.
            if (ports.Count == 0) pairs.AddRange(ips);
            else pairs.AddRange(ports.SelectMany(port => ips.Select(ip => $"{ip}:{port}")));
        }
        if (pairs.Count == 0) return "<none>";
        return pairs.Count > 3 ? $"{string.Join(",", pairs.Take(3))} + {pairs.Count - 3} more..." : string.Join(",", pairs);
    }
}
