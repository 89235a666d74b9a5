using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidateEndpoints' subsets: each has addresses (or notReadyAddresses); an address is an
/// IP that is not unspecified or link-local (ValidateNonSpecialIP: endpoints must be reachable from
/// other nodes). The loopback range, which kube-apiserver refuses too, is allowed here: the emulated
/// nodes' InternalIPs are 127.0.1.x, so hostNetwork pods and the API server's own address are there.; a port is in 1-65535 and named when the subset has several. A subset
/// may have no port (a headless Service without ports).
/// </summary>
public static class EndpointsValidation
{
    public static void Validate(JsonObject endpoints, List<FieldError> errors)
    {
        var subsets = endpoints["subsets"] as JsonArray ?? [];
        for (var i = 0; i < subsets.Count; i++)
        {
            var path = $"subsets[{i}]";
            var subset = subsets[i] as JsonObject ?? new JsonObject();
            var addresses = subset["addresses"] as JsonArray ?? [];
            var notReady = subset["notReadyAddresses"] as JsonArray ?? [];
            if (addresses.Count == 0 && notReady.Count == 0) errors.Add(FieldError.RequiredValue(path, "must specify `addresses` or `notReadyAddresses`"));
            for (var a = 0; a < addresses.Count; a++) Address(addresses[a], $"{path}.addresses[{a}].ip", errors);
            for (var a = 0; a < notReady.Count; a++) Address(notReady[a], $"{path}.notReadyAddresses[{a}].ip", errors);
            var ports = subset["ports"] as JsonArray ?? [];
            for (var p = 0; p < ports.Count; p++)
            {
                var port = ports[p] as JsonObject ?? new JsonObject();
                if (ports.Count > 1 && string.IsNullOrEmpty(KubeObject.String(port, "name"))) errors.Add(FieldError.RequiredValue($"{path}.ports[{p}].name"));
                var number = KubeObject.Long(port["port"]) ?? 0;
                if (number is < 1 or > 65535) errors.Add(FieldError.InvalidRaw($"{path}.ports[{p}].port", number.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be between 1 and 65535, inclusive"));
            }
        }
    }

    private static void Address(JsonNode? address, string path, List<FieldError> errors)
    {
        var text = KubeObject.String(address, "ip") ?? "";
        if (!IPAddress.TryParse(text, out var ip) || text.Contains('%') || (ip.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3))
        {
            errors.Add(FieldError.Invalid(path, text, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
            errors.Add(FieldError.Invalid(path, text, "must be a valid IP address"));
            return;
        }
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var bytes = ip.GetAddressBytes();
        var v4 = ip.AddressFamily == AddressFamily.InterNetwork;
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)) errors.Add(FieldError.Invalid(path, text, $"may not be unspecified ({text})"));
        if (v4 ? bytes[0] == 169 && bytes[1] == 254 : ip.IsIPv6LinkLocal)
            errors.Add(FieldError.Invalid(path, text, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
        if (v4 ? bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0 : bytes[0] == 0xff && (bytes[1] & 0x0f) == 2)
            errors.Add(FieldError.Invalid(path, text, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
    }
}
