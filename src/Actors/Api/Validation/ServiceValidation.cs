using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidateService and ValidateServiceUpdate (pkg/apis/core/validation): type, ports and target ports,
/// node ports, cluster IPs, session affinity, traffic policies, ExternalName; on update the cluster IP
/// that may not change. Range and conflict checks of IPs and node ports are the allocator's (in the Store).
/// </summary>
public static class ServiceValidation
{
    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] Affinities = ["ClientIP", "None"];
    private static readonly string[] TrafficPolicies = ["Cluster", "Local"];
    private static readonly string[] FamilyPolicies = ["PreferDualStack", "RequireDualStack", "SingleStack"];
    private const int MaxClientIpAffinitySeconds = 86400;

    public static void Validate(JsonObject service, List<FieldError> errors)
    {
        var spec = service["spec"] as JsonObject;
        var type = KubeObject.String(spec, "type") ?? "ClusterIP";
        var headless = KubeObject.String(spec, "clusterIP") == "None";
        if (!Types.Contains(type)) errors.Add(FieldError.Unsupported("spec.type", type, Types));
        if (type == "ExternalName") ExternalName(spec, errors);
        else ClusterIps(spec, errors);
        Ports(spec, type, headless, errors);
        ObjectMetaValidation.Labels(spec?["selector"], "spec.selector", errors);
        SessionAffinity(spec, errors);
        TrafficPolicies_(spec, type, errors);
        if (type != "LoadBalancer" && spec?["allocateLoadBalancerNodePorts"] is not null)
            errors.Add(FieldError.ForbiddenField("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"));
        if (type == "LoadBalancer" && spec?["allocateLoadBalancerNodePorts"] is null)
            errors.Add(FieldError.RequiredValue("spec.allocateLoadBalancerNodePorts"));
        if (type != "LoadBalancer" && KubeObject.String(spec, "loadBalancerIP") is { Length: > 0 })
            errors.Add(FieldError.ForbiddenField("spec.loadBalancerIP", "may only be used when `type` is 'LoadBalancer'"));
        foreach (var (ip, i) in ((spec?["externalIPs"] as JsonArray)?.Select(KubeObject.ScalarText) ?? []).Select((ip, i) => (ip, i)))
            if (!IsIp(ip)) errors.Add(FieldError.Invalid($"spec.externalIPs[{i}]", ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
    }

    /// <summary>ValidateServiceUpdate: clusterIPs[0] may not change (unless to or from ExternalName), then ValidateService.</summary>
    public static void Update(JsonObject service, JsonObject old, List<FieldError> errors)
    {
        var type = KubeObject.ScalarAt(service, "spec.type") ?? "ClusterIP";
        var oldType = KubeObject.ScalarAt(old, "spec.type") ?? "ClusterIP";
        if (type == "ExternalName" || oldType == "ExternalName") return;
        var before = (KubeObject.At(old, "spec.clusterIPs") as JsonArray)?.FirstOrDefault() is { } b ? KubeObject.ScalarText(b) : null;
        var after = (KubeObject.At(service, "spec.clusterIPs") as JsonArray)?.FirstOrDefault() is { } a ? KubeObject.ScalarText(a) : null;
        if (!string.IsNullOrEmpty(before) && before != after)
            errors.Add(FieldError.InvalidRaw("spec.clusterIPs[0]", Strings(KubeObject.At(service, "spec.clusterIPs")), "may not change once set"));
    }

    private static void ExternalName(JsonObject? spec, List<FieldError> errors)
    {
        if (KubeObject.String(spec, "clusterIP") is { Length: > 0 } || spec?["clusterIPs"] is JsonArray { Count: > 0 })
            errors.Add(FieldError.ForbiddenField("spec.clusterIPs", "may not be set for ExternalName services"));
        if (spec?["ipFamilies"] is JsonArray { Count: > 0 })
            errors.Add(FieldError.ForbiddenField("spec.ipFamilies", "may not be set for ExternalName services"));
        if (spec?["ipFamilyPolicy"] is not null)
            errors.Add(FieldError.ForbiddenField("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
        var name = (KubeObject.String(spec, "externalName") ?? "").TrimEnd('.');
        if (name.Length == 0) errors.Add(FieldError.RequiredValue("spec.externalName"));
        else foreach (var message in NameValidation.Dns1123Subdomain(name)) errors.Add(FieldError.Invalid("spec.externalName", name, message));
    }

    // ValidateServiceClusterIPsRelatedFields: well-formed IPs, clusterIP = clusterIPs[0], a policy Kubernetes knows.
    private static void ClusterIps(JsonObject? spec, List<FieldError> errors)
    {
        var ips = (spec?["clusterIPs"] as JsonArray)?.Select(KubeObject.ScalarText).ToList() ?? [];
        var ip = KubeObject.String(spec, "clusterIP") ?? "";
        if (ips.Count > 0 && ips[0] != ip)
            errors.Add(FieldError.InvalidRaw("spec.clusterIPs", Strings(spec?["clusterIPs"]), "first value must match `clusterIP`"));
        if (ips.Count > 2) errors.Add(FieldError.InvalidRaw("spec.clusterIPs", Strings(spec?["clusterIPs"]), "may only hold up to 2 values"));
        for (var i = 0; i < ips.Count; i++)
        {
            if (i == 0 && ips[i] == "None") continue;
            if (ips[i] == "None") errors.Add(FieldError.Invalid($"spec.clusterIPs[{i}]", ips[i], "must be empty when the first value is 'None'"));
            else if (!IsIp(ips[i])) errors.Add(FieldError.Invalid($"spec.clusterIPs[{i}]", ips[i], "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
        }
        if (KubeObject.String(spec, "ipFamilyPolicy") is { } policy && !FamilyPolicies.Contains(policy))
            errors.Add(FieldError.Unsupported("spec.ipFamilyPolicy", policy, FamilyPolicies));
        foreach (var (family, i) in ((spec?["ipFamilies"] as JsonArray)?.Select(KubeObject.ScalarText) ?? []).Select((f, i) => (f, i)))
            if (family is not ("IPv4" or "IPv6")) errors.Add(FieldError.Unsupported($"spec.ipFamilies[{i}]", family, ["IPv4", "IPv6"]));
    }

    private static void Ports(JsonObject? spec, string type, bool headless, List<FieldError> errors)
    {
        if (spec?["ports"] is not JsonArray { Count: > 0 } ports)
        {
            if (type != "ExternalName" && !headless) errors.Add(FieldError.RequiredValue("spec.ports"));
            return;
        }
        var names = new HashSet<string>();
        var keys = new HashSet<(string, long)>();
        var nodePorts = new HashSet<(string, long)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var path = $"spec.ports[{i}]";
            var port = ports[i] as JsonObject;
            var name = KubeObject.String(port, "name") ?? "";
            if (ports.Count > 1 && name.Length == 0) errors.Add(FieldError.RequiredValue($"{path}.name"));
            else if (name.Length > 0)
            {
                foreach (var message in NameValidation.Dns1123Label(name)) errors.Add(FieldError.Invalid($"{path}.name", name, message));
                if (!names.Add(name)) errors.Add(FieldError.DuplicateValue($"{path}.name", name));
            }
            var number = KubeObject.Long(port?["port"]) ?? 0;
            if (number is < 1 or > 65535) errors.Add(FieldError.InvalidRaw($"{path}.port", number.ToString(), "must be between 1 and 65535, inclusive"));
            var protocol = KubeObject.String(port, "protocol") ?? "TCP";
            if (!Protocols.Contains(protocol)) errors.Add(FieldError.Unsupported($"{path}.protocol", protocol, Protocols));
            TargetPort(port?["targetPort"], $"{path}.targetPort", errors);
            if (!keys.Add((protocol, number)))
                errors.Add(FieldError.InvalidRaw(path, $"core.ServicePort{{Name:\"\", Protocol:\"{protocol}\", AppProtocol:(*string)(nil), Port:{number}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}", "")
                    with { Type = FieldError.Duplicate });
            if (KubeObject.Long(port?["nodePort"]) is { } nodePort && nodePort != 0)
            {
                if (type == "ClusterIP") errors.Add(FieldError.ForbiddenField($"{path}.nodePort", "may not be used when `type` is 'ClusterIP'"));
                else if (type == "ExternalName") errors.Add(FieldError.ForbiddenField($"{path}.nodePort", "may not be used when `type` is 'ExternalName'"));
                else if (nodePort is < 1 or > 65535) errors.Add(FieldError.InvalidRaw($"{path}.nodePort", nodePort.ToString(), "must be between 1 and 65535, inclusive"));
                else if (!nodePorts.Add((protocol, nodePort))) errors.Add(FieldError.InvalidRaw($"{path}.nodePort", nodePort.ToString(), "") with { Type = FieldError.Duplicate });
            }
        }
    }

    /// <summary>ValidatePortNumOrName: a number in 1..65535, or an IANA_SVC_NAME.</summary>
    private static void TargetPort(JsonNode? target, string path, List<FieldError> errors)
    {
        if (target is null) return;
        // IntOrString: the typed clients write a number as its text.
        if (target is JsonValue v && (v.TryGetValue<long>(out var number) || long.TryParse(KubeObject.ScalarText(v), out number)))
        {
            if (number is < 1 or > 65535) errors.Add(FieldError.InvalidRaw(path, number.ToString(), "must be between 1 and 65535, inclusive"));
            return;
        }
        var name = KubeObject.ScalarText(target) ?? "";
        foreach (var message in PortNameErrors(name)) errors.Add(FieldError.Invalid(path, name, message));
    }

    /// <summary>IsValidPortName's messages.</summary>
    public static IEnumerable<string> PortNameErrors(string name)
    {
        if (name.Length == 0) { yield return "must contain at least one letter (a-z)"; yield break; }
        if (name.Length > 15) yield return "must be no more than 15 characters";
        if (name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))) yield return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
        if (!name.Any(char.IsAsciiLetterLower)) yield return "must contain at least one letter (a-z)";
        if (name.StartsWith('-') || name.EndsWith('-')) yield return "must not begin or end with a hyphen";
        if (name.Contains("--")) yield return "must not contain consecutive hyphens";
    }

    private static void SessionAffinity(JsonObject? spec, List<FieldError> errors)
    {
        var affinity = KubeObject.String(spec, "sessionAffinity") ?? "None";
        if (!Affinities.Contains(affinity))
        {
            errors.Add(FieldError.Unsupported("spec.sessionAffinity", affinity, Affinities));
            return;
        }
        var config = spec?["sessionAffinityConfig"] as JsonObject;
        if (affinity == "None")
        {
            if (config is not null) errors.Add(FieldError.ForbiddenField("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
            return;
        }
        if (config?["clientIP"] is not JsonObject clientIp)
            errors.Add(FieldError.RequiredValue("spec.sessionAffinityConfig.clientIP", "when session affinity type is ClientIP"));
        else if (KubeObject.Long(clientIp["timeoutSeconds"]) is not { } timeout)
            errors.Add(FieldError.RequiredValue("spec.sessionAffinityConfig.clientIP.timeoutSeconds", "when session affinity type is ClientIP"));
        else if (timeout is <= 0 or > MaxClientIpAffinitySeconds)
            errors.Add(FieldError.InvalidRaw("spec.sessionAffinityConfig.clientIP.timeoutSeconds", timeout.ToString(), $"must be greater than 0 and less than {MaxClientIpAffinitySeconds}"));
    }

    private static void TrafficPolicies_(JsonObject? spec, string type, List<FieldError> errors)
    {
        var external = KubeObject.String(spec, "externalTrafficPolicy");
        var externallyAccessible = type is "NodePort" or "LoadBalancer" || spec?["externalIPs"] is JsonArray { Count: > 0 };
        if (!externallyAccessible)
        {
            if (!string.IsNullOrEmpty(external))
                errors.Add(FieldError.Invalid("spec.externalTrafficPolicy", external, "may only be set for externally-accessible services"));
        }
        else if (string.IsNullOrEmpty(external)) errors.Add(FieldError.RequiredValue("spec.externalTrafficPolicy"));
        else if (!TrafficPolicies.Contains(external)) errors.Add(FieldError.Unsupported("spec.externalTrafficPolicy", external, TrafficPolicies));

        var healthCheck = KubeObject.Long(spec?["healthCheckNodePort"]) ?? 0;
        if (healthCheck != 0 && !(type == "LoadBalancer" && external == "Local"))
            errors.Add(FieldError.InvalidRaw("spec.healthCheckNodePort", healthCheck.ToString(), "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));

        if (type == "ExternalName") return;
        var internalPolicy = KubeObject.String(spec, "internalTrafficPolicy");
        if (string.IsNullOrEmpty(internalPolicy)) errors.Add(FieldError.RequiredValue("spec.internalTrafficPolicy"));
        else if (!TrafficPolicies.Contains(internalPolicy)) errors.Add(FieldError.Unsupported("spec.internalTrafficPolicy", internalPolicy, TrafficPolicies));
    }

    private static bool IsIp(string? text) =>
        text is not null && IPAddress.TryParse(text, out var ip) && ip.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
        && (ip.AddressFamily == AddressFamily.InterNetworkV6 || text.Count(c => c == '.') == 3);

    // A []string as kube-apiserver prints it in a field error: ["10.96.0.5"].
    private static string Strings(JsonNode? list) =>
        "[" + string.Join(",", ((list as JsonArray)?.Select(KubeObject.ScalarText) ?? []).Select(s => $"\"{s}\"")) + "]";
}
