using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Controllers.EndpointSlice;

/// <summary>
/// The reconciler's arithmetic (pkg/controller/endpointslice/reconciler.go, simplified): per set of
/// ports, an endpoint stays in the slice that has it, changed in place; the new ones fill slices with
/// room before new slices are made; slices left empty go, and a Service with no endpoints at all
/// keeps a single placeholder slice (no ports, no endpoints).
/// </summary>
public static class SlicePlanner
{
    public sealed record Existing(string Name, JsonObject Slice);

    /// <param name="Write">Slices to create (null name) or update, with their ports and endpoints.</param>
    public sealed record Result(IReadOnlyList<(string? Name, JsonArray? Ports, JsonArray Endpoints)> Write, IReadOnlyList<string> Delete);

    public static Result Plan(IReadOnlyList<Existing> existing, Dictionary<string, (JsonArray Ports, List<JsonObject> Endpoints)> desired, int max)
    {
        var write = new List<(string?, JsonArray?, JsonArray)>();
        var delete = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, (ports, endpoints)) in desired.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var byAddress = endpoints.ToDictionary(Address, StringComparer.Ordinal);
            var placed = new HashSet<string>(StringComparer.Ordinal);
            var slices = new List<(string? Name, List<JsonObject> Endpoints)>();
            foreach (var e in existing.Where(e => PortsKey(e.Slice) == key && !used.Contains(e.Name)))
            {
                used.Add(e.Name);
                var kept = new List<JsonObject>();
                foreach (var old in (e.Slice["endpoints"] as JsonArray)?.OfType<JsonObject>() ?? [])
                    if (byAddress.TryGetValue(Address(old), out var now) && placed.Add(Address(old)) && kept.Count < max) kept.Add(now);
                slices.Add((e.Name, kept));
            }
            var remaining = endpoints.Where(e => !placed.Contains(Address(e))).ToList();
            foreach (var slice in slices)
                while (slice.Endpoints.Count < max && remaining.Count > 0)
                {
                    slice.Endpoints.Add(remaining[0]);
                    remaining.RemoveAt(0);
                }
            for (var i = 0; i < remaining.Count; i += max) slices.Add((null, remaining.Skip(i).Take(max).ToList()));
            foreach (var (name, list) in slices)
            {
                if (list.Count == 0)
                {
                    if (name is not null) delete.Add(name);
                    continue;
                }
                write.Add((name, ports, new JsonArray(list.Select(e => (JsonNode?)e.DeepClone()).ToArray())));
            }
        }
        foreach (var e in existing.Where(e => !used.Contains(e.Name))) delete.Add(e.Name);
        if (write.Count == 0)
        {
            // The placeholder: an existing slice kept empty, or a new one.
            var keep = delete.FirstOrDefault();
            if (keep is not null) delete.Remove(keep);
            write.Add((keep, null, new JsonArray()));
        }
        return new Result(write, delete);
    }

    private static string Address(JsonObject endpoint) =>
        (endpoint["addresses"] as JsonArray)?.FirstOrDefault()?.GetValue<string>() ?? "";

    private static string PortsKey(JsonObject slice) => slice["ports"] is JsonArray { Count: > 0 } ports ? ports.ToJsonString() : "[]";
}
