using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>ValidateService: type, ports, node ports.</summary>
public static class ServiceValidation
{
    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

    public static void Validate(JsonObject service, List<FieldError> errors)
    {
        var spec = service["spec"] as JsonObject;
        var type = KubeObject.String(spec, "type") ?? "ClusterIP";
        if (!Types.Contains(type)) errors.Add(FieldError.Unsupported("spec.type", type, Types));
        if (spec?["ports"] is not JsonArray { Count: > 0 } ports)
        {
            if (type != "ExternalName" && KubeObject.String(spec, "clusterIP") != "None") errors.Add(FieldError.RequiredValue("spec.ports"));
            return;
        }
        var names = new HashSet<string>();
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i] as JsonObject;
            var number = KubeObject.Long(port?["port"]) ?? 0;
            if (number is < 1 or > 65535) errors.Add(FieldError.InvalidRaw($"spec.ports[{i}].port", number.ToString(), "must be between 1 and 65535, inclusive"));
            if (KubeObject.Long(port?["nodePort"]) is { } nodePort && nodePort != 0)
            {
                if (type is not ("NodePort" or "LoadBalancer"))
                    errors.Add(FieldError.ForbiddenField($"spec.ports[{i}].nodePort", "may not be used when `type` is 'ClusterIP'"));
                else if (nodePort is < 30000 or > 32767)
                    errors.Add(FieldError.InvalidRaw($"spec.ports[{i}].nodePort", nodePort.ToString(), "provided port is not in the valid range. The range of valid ports is 30000-32767"));
            }
            var name = KubeObject.String(port, "name") ?? "";
            if (ports.Count > 1 && name.Length == 0) errors.Add(FieldError.RequiredValue($"spec.ports[{i}].name"));
            else if (name.Length > 0 && !names.Add(name)) errors.Add(FieldError.DuplicateValue($"spec.ports[{i}].name", name));
        }
    }
}
