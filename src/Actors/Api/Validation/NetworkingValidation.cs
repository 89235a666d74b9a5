using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// pkg/apis/networking/validation for networking.k8s.io/v1: ValidateIngressCreate / ValidateIngressSpec
/// (rules or a default backend, hosts, paths and their pathType, backends), ValidateIngressClass
/// (a domain-prefixed controller, immutable), ValidateNetworkPolicySpec (selectors, ports, peers, policyTypes).
/// </summary>
public static class NetworkingValidation
{
    private static readonly string[] PathTypes = ["Exact", "ImplementationSpecific", "Prefix"];
    private static readonly string[] InvalidPathSequences = ["//", "/./", "/../", "%2f", "%2F"];
    private static readonly string[] InvalidPathSuffixes = ["/..", "/."];
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];
    private static readonly string[] PolicyTypes = ["Ingress", "Egress"];

    public static void ValidateIngress(JsonObject ingress, bool create, List<FieldError> errors)
    {
        var spec = ingress["spec"] as JsonObject ?? new JsonObject();
        var rules = spec["rules"] as JsonArray;
        if (rules is not { Count: > 0 } && spec["defaultBackend"] is null)
            errors.Add(FieldError.InvalidRaw("spec", rules is null ? "[]networking.IngressRule(nil)" : "[]networking.IngressRule{}",
                "either `defaultBackend` or `rules` must be specified"));
        if (spec["defaultBackend"] is JsonObject defaultBackend) Backend(defaultBackend, "spec.defaultBackend", errors);
        for (var i = 0; i < (rules?.Count ?? 0); i++) Rule(rules![i] as JsonObject ?? new JsonObject(), $"spec.rules[{i}]", errors);
        var tls = spec["tls"] as JsonArray;
        for (var t = 0; t < (tls?.Count ?? 0); t++)
        {
            var entry = tls![t] as JsonObject;
            var hosts = entry?["hosts"] as JsonArray;
            for (var h = 0; h < (hosts?.Count ?? 0); h++)
            {
                var host = KubeObject.ScalarText(hosts![h]) ?? "";
                foreach (var message in HostErrors(host)) errors.Add(FieldError.Invalid($"spec.tls[{t}].hosts[{h}]", host, message));
            }
            if (KubeObject.String(entry, "secretName") is { Length: > 0 } secret)
                foreach (var message in NameValidation.Dns1123Subdomain(secret)) errors.Add(FieldError.Invalid($"spec.tls[{t}].secretName", secret, message));
        }
        if (KubeObject.String(spec, "ingressClassName") is { } className)
            foreach (var message in NameValidation.Dns1123Subdomain(className)) errors.Add(FieldError.Invalid("spec.ingressClassName", className, message));
        if (create && KubeObject.String(KubeObject.At(ingress, "metadata.annotations"), Admission.IngressClassAdmission.DeprecatedClassAnnotation) is { } annotation
            && spec["ingressClassName"] is not null)
            errors.Add(FieldError.Invalid("annotations.kubernetes.io/ingress.class", annotation, "can not be set when the class field is also set"));
    }

    public static void ValidateIngressClass(JsonObject ingressClass, List<FieldError> errors)
    {
        var controller = KubeObject.ScalarAt(ingressClass, "spec.controller") ?? "";
        DomainPrefixedPath("spec.controller", controller, errors);
        if (KubeObject.At(ingressClass, "spec.parameters") is JsonObject parameters)
        {
            if (KubeObject.String(parameters, "apiGroup") is { } group)
                foreach (var message in NameValidation.Dns1123Subdomain(group)) errors.Add(FieldError.Invalid("spec.parameters.apiGroup", group, message));
            if (KubeObject.String(parameters, "kind") is not { Length: > 0 }) errors.Add(FieldError.RequiredValue("spec.parameters.kind", "kind is required"));
            if (KubeObject.String(parameters, "name") is not { Length: > 0 }) errors.Add(FieldError.RequiredValue("spec.parameters.name", "name is required"));
            var scope = KubeObject.String(parameters, "scope");
            var ns = KubeObject.String(parameters, "namespace");
            if (scope == "Namespace" && string.IsNullOrEmpty(ns))
                errors.Add(FieldError.RequiredValue("spec.parameters.namespace", "`parameters.scope` is set to 'Namespace'"));
            else if (scope == "Cluster" && ns is not null)
                errors.Add(FieldError.ForbiddenField("spec.parameters.namespace", "`parameters.scope` is set to 'Cluster'"));
            else if (scope is not null and not ("Namespace" or "Cluster"))
                errors.Add(FieldError.Unsupported("spec.parameters.scope", scope, ["Cluster", "Namespace"]));
        }
    }

    public static void ValidateIngressClassUpdate(JsonObject ingressClass, JsonObject old, List<FieldError> errors)
    {
        var controller = KubeObject.ScalarAt(ingressClass, "spec.controller") ?? "";
        if (controller != (KubeObject.ScalarAt(old, "spec.controller") ?? ""))
            errors.Add(FieldError.Invalid("spec.controller", controller, "field is immutable"));
    }

    public static void ValidateNetworkPolicy(JsonObject policy, List<FieldError> errors)
    {
        var spec = policy["spec"] as JsonObject ?? new JsonObject();
        LabelSelectorValidation.Validate(spec["podSelector"], "spec.podSelector", errors);
        foreach (var (direction, peers) in new[] { ("ingress", "from"), ("egress", "to") })
        {
            var rules = spec[direction] as JsonArray;
            for (var i = 0; i < (rules?.Count ?? 0); i++)
            {
                var rule = rules![i] as JsonObject;
                var ports = rule?["ports"] as JsonArray;
                for (var p = 0; p < (ports?.Count ?? 0); p++) PolicyPort(ports![p] as JsonObject ?? new JsonObject(), $"spec.{direction}[{i}].ports[{p}]", errors);
                var list = rule?[peers] as JsonArray;
                for (var p = 0; p < (list?.Count ?? 0); p++) Peer(list![p] as JsonObject ?? new JsonObject(), $"spec.{direction}[{i}].{peers}[{p}]", errors);
            }
        }
        var types = spec["policyTypes"] as JsonArray;
        if (types is { Count: > 2 })
        {
            errors.Add(FieldError.InvalidRaw("spec.policyTypes", $"&[]networking.PolicyType{{{string.Join(", ", types.Select(t => GoSyntax.Quote(KubeObject.ScalarText(t) ?? "")))}}}",
                "may not specify more than two policyTypes"));
            return;
        }
        for (var i = 0; i < (types?.Count ?? 0); i++)
            if (KubeObject.ScalarText(types![i]) is var type && !PolicyTypes.Contains(type))
                errors.Add(FieldError.Unsupported($"spec.policyTypes[{i}]", type, PolicyTypes));
    }

    private static void Rule(JsonObject rule, string path, List<FieldError> errors)
    {
        if (KubeObject.String(rule, "host") is { Length: > 0 } host)
        {
            // net.ParseIP: dotted quads and IPv6 only (IPAddress.TryParse would also take "1" or "0x1").
            if ((host.Count(c => c == '.') == 3 || host.Contains(':')) && IPAddress.TryParse(host, out _))
                errors.Add(FieldError.Invalid($"{path}.host", host, "must be a DNS name, not an IP address"));
            foreach (var message in HostErrors(host)) errors.Add(FieldError.Invalid($"{path}.host", host, message));
        }
        if (rule["http"] is not JsonObject http) return;
        if (http["paths"] is not JsonArray { Count: > 0 } paths)
        {
            errors.Add(FieldError.RequiredValue($"{path}.http.paths"));
            return;
        }
        for (var i = 0; i < paths.Count; i++) HttpPath(paths[i] as JsonObject ?? new JsonObject(), $"{path}.http.paths[{i}]", errors);
    }

    private static void HttpPath(JsonObject httpPath, string path, List<FieldError> errors)
    {
        if (KubeObject.String(httpPath, "pathType") is not { } pathType)
        {
            errors.Add(FieldError.RequiredValue($"{path}.pathType", "pathType must be specified"));
            return;
        }
        var value = KubeObject.String(httpPath, "path") ?? "";
        switch (pathType)
        {
            case "Exact" or "Prefix":
                if (!value.StartsWith('/')) errors.Add(FieldError.Invalid($"{path}.path", value, "must be an absolute path"));
                foreach (var sequence in InvalidPathSequences.Where(value.Contains))
                    errors.Add(FieldError.Invalid($"{path}.path", value, $"must not contain '{sequence}'"));
                foreach (var suffix in InvalidPathSuffixes.Where(s => value.EndsWith(s, StringComparison.Ordinal)))
                    errors.Add(FieldError.Invalid($"{path}.path", value, $"cannot end with '{suffix}'"));
                break;
            case "ImplementationSpecific":
                if (value.Length > 0 && !value.StartsWith('/')) errors.Add(FieldError.Invalid($"{path}.path", value, "must be an absolute path"));
                break;
            default:
                errors.Add(FieldError.Unsupported($"{path}.pathType", pathType, PathTypes));
                break;
        }
        Backend(httpPath["backend"] as JsonObject ?? new JsonObject(), $"{path}.backend", errors);
    }

    private static void Backend(JsonObject backend, string path, List<FieldError> errors)
    {
        var resource = backend["resource"] as JsonObject;
        var service = backend["service"] as JsonObject;
        if (resource is not null && service is not null)
        {
            errors.Add(FieldError.Invalid(path, "", "cannot set both resource and service backends"));
            return;
        }
        if (resource is not null)
        {
            if (KubeObject.String(resource, "kind") is not { Length: > 0 }) errors.Add(FieldError.RequiredValue($"{path}.resource.kind", "kind is required"));
            if (KubeObject.String(resource, "name") is not { Length: > 0 }) errors.Add(FieldError.RequiredValue($"{path}.resource.name", "name is required"));
            return;
        }
        if (service is null)
        {
            errors.Add(FieldError.Invalid(path, "", "resource or service backend is required"));
            return;
        }
        var name = KubeObject.String(service, "name") ?? "";
        if (name.Length == 0) errors.Add(FieldError.RequiredValue($"{path}.service.name"));
        else foreach (var message in NameValidation.Dns1035Label(name)) errors.Add(FieldError.Invalid($"{path}.service.name", name, message));
        var portName = KubeObject.ScalarAt(service, "port.name") ?? "";
        var portNumber = KubeObject.Long(KubeObject.At(service, "port.number")) ?? 0;
        if (portName.Length > 0 && portNumber != 0)
            errors.Add(FieldError.Invalid(path, "", "cannot set both port name & port number"));
        else if (portName.Length > 0)
            foreach (var message in ServiceValidation.PortNameErrors(portName)) errors.Add(FieldError.Invalid($"{path}.service.port.name", portName, message));
        else if (portNumber != 0)
        {
            if (portNumber is < 1 or > 65535)
                errors.Add(FieldError.InvalidRaw($"{path}.service.port.number", portNumber.ToString(CultureInfo.InvariantCulture), "must be between 1 and 65535, inclusive"));
        }
        else errors.Add(FieldError.RequiredValue(path, "port name or number is required"));
    }

    private static void PolicyPort(JsonObject port, string path, List<FieldError> errors)
    {
        if (KubeObject.String(port, "protocol") is { } protocol && !Protocols.Contains(protocol))
            errors.Add(FieldError.Unsupported($"{path}.protocol", protocol, Protocols));
        if (port["port"] is not JsonValue value) return;
        if (KubeObject.Long(value) is { } number)
        {
            if (number is < 1 or > 65535)
                errors.Add(FieldError.InvalidRaw($"{path}.port", number.ToString(CultureInfo.InvariantCulture), "must be between 1 and 65535, inclusive"));
            return;
        }
        var name = KubeObject.ScalarText(value) ?? "";
        foreach (var message in ServiceValidation.PortNameErrors(name)) errors.Add(FieldError.Invalid($"{path}.port", name, message));
    }

    private static void Peer(JsonObject peer, string path, List<FieldError> errors)
    {
        var count = 0;
        if (peer["podSelector"] is JsonObject pods) { count++; LabelSelectorValidation.Validate(pods, $"{path}.podSelector", errors); }
        if (peer["namespaceSelector"] is JsonObject namespaces) { count++; LabelSelectorValidation.Validate(namespaces, $"{path}.namespaceSelector", errors); }
        if (peer["ipBlock"] is JsonObject block) { count++; IpBlock(block, $"{path}.ipBlock", errors); }
        if (count == 0) errors.Add(FieldError.RequiredValue(path, "must specify a peer"));
        else if (count > 1 && peer["ipBlock"] is JsonObject) errors.Add(FieldError.ForbiddenField(path, "may not specify both ipBlock and another peer"));
    }

    private static void IpBlock(JsonObject block, string path, List<FieldError> errors)
    {
        var cidr = KubeObject.String(block, "cidr") ?? "";
        if (cidr.Length == 0)
        {
            errors.Add(FieldError.RequiredValue($"{path}.cidr"));
            return;
        }
        if (Cidr(cidr) is not { } network)
        {
            errors.Add(FieldError.Invalid($"{path}.cidr", cidr, "not a valid CIDR"));
            return;
        }
        var except = block["except"] as JsonArray;
        for (var i = 0; i < (except?.Count ?? 0); i++)
        {
            var text = KubeObject.ScalarText(except![i]) ?? "";
            if (Cidr(text) is not { } excluded)
            {
                errors.Add(FieldError.Invalid($"{path}.except[{i}]", text, "not a valid CIDR"));
                return;
            }
            if (!network.Contains(excluded.BaseAddress) || network.PrefixLength >= excluded.PrefixLength)
                errors.Add(FieldError.Invalid($"{path}.except[{i}]", text, "must be a strict subset of `cidr`"));
        }
    }

    /// <summary>net.ParseCIDR: an address and a prefix length; host bits may be set (they are masked off).</summary>
    private static IPNetwork? Cidr(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || (parts[0].Count(c => c == '.') != 3 && !parts[0].Contains(':'))
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
            return null;
        var bytes = address.GetAddressBytes();
        if (prefix > bytes.Length * 8) return null;
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    /// <summary>IsWildcardDNS1123Subdomain for hosts with a "*", IsDNS1123Subdomain for the others.</summary>
    private static IEnumerable<string> HostErrors(string host)
    {
        if (!host.Contains('*')) return NameValidation.Dns1123Subdomain(host);
        var rest = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : null;
        return rest is not null && !rest.Contains('*') && !NameValidation.Dns1123Subdomain(rest).Any()
            ? []
            : ["a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"];
    }

    /// <summary>IsDomainPrefixedPath: "example.com/controller".</summary>
    private static void DomainPrefixedPath(string path, string value, List<FieldError> errors)
    {
        if (value.Length == 0)
        {
            errors.Add(FieldError.RequiredValue(path));
            return;
        }
        var segments = value.Split('/', 2);
        if (segments.Length != 2 || segments[0].Length == 0 || segments[1].Length == 0)
        {
            errors.Add(FieldError.Invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
            return;
        }
        foreach (var message in NameValidation.Dns1123Subdomain(segments[0])) errors.Add(FieldError.Invalid(path, segments[0], message));
    }
}
