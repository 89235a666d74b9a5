using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>pkg/printers/internalversion for networking.k8s.io: `kubectl get ingress,ingressclass,networkpolicy`.</summary>
public static class NetworkingPrinters
{
    public static readonly Printer Ingress = new(
        [Column.NameColumn,
         new("Class", "The name of the IngressClass resource that should be used for additional configuration"),
         new("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
         new("Address", "Address is a list containing ingress points for the load-balancer"),
         new("Ports", "Ports of TLS configurations that open"),
         Column.Age],
        (o, now) =>
        [
            KubeObject.Name(o), KubeObject.ScalarAt(o, "spec.ingressClassName") ?? "<none>", Hosts(KubeObject.At(o, "spec.rules") as JsonArray),
            Address(KubeObject.At(o, "status.loadBalancer.ingress") as JsonArray),
            KubeObject.At(o, "spec.tls") is JsonArray { Count: > 0 } ? "80, 443" : "80",
            CorePrinters.Age(o, now),
        ]);

    public static readonly Printer IngressClass = new(
        [Column.NameColumn,
         new("Controller", "Controller that is responsible for handling this class"),
         new("Parameters", "A reference to a resource with additional parameters"),
         Column.Age],
        (o, now) => [KubeObject.Name(o), KubeObject.ScalarAt(o, "spec.controller") ?? "", Parameters(KubeObject.At(o, "spec.parameters") as JsonObject), CorePrinters.Age(o, now)]);

    public static readonly Printer NetworkPolicy = new(
        [Column.NameColumn,
         new("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies.  The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods.  In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace."),
         Column.Age],
        (o, now) =>
        {
            var selector = KubeObject.At(o, "spec.podSelector") is JsonObject s ? KubernetesJson.Deserialize<V1LabelSelector>(s.ToJsonString()) : null;
            return [KubeObject.Name(o), WorkloadPrinters.SelectorText(selector), CorePrinters.Age(o, now)];
        });

    /// <summary>formatHosts: the first three hosts, "*" when no rule names one, "+ N more..." past three rules.</summary>
    private static string Hosts(JsonArray? rules)
    {
        const int max = 3;
        var list = new List<string>();
        var more = false;
        foreach (var rule in rules?.OfType<JsonObject>() ?? [])
        {
            if (list.Count == max) more = true;
            if (!more && KubeObject.String(rule, "host") is { Length: > 0 } host) list.Add(host);
        }
        if (list.Count == 0) return "*";
        var text = string.Join(",", list);
        return more ? $"{text} + {rules!.Count - max} more..." : text;
    }

    /// <summary>
    /// ingressLoadBalancerStatusStringer: the sorted distinct IPs (else hostnames). The apiserver
    /// prints tables as wide, so the 16-character clipping of client-side printing never applies.
    /// </summary>
    private static string Address(JsonArray? ingress)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var point in ingress?.OfType<JsonObject>() ?? [])
        {
            if (KubeObject.String(point, "ip") is { Length: > 0 } ip) result.Add(ip);
            else if (KubeObject.String(point, "hostname") is { Length: > 0 } hostname) result.Add(hostname);
        }
        return string.Join(",", result);
    }

    /// <summary>Kind[.apiGroup]/name of spec.parameters, or &lt;none&gt;.</summary>
    private static string Parameters(JsonObject? parameters)
    {
        if (parameters is null) return "<none>";
        var text = KubeObject.String(parameters, "kind") ?? "";
        if (KubeObject.String(parameters, "apiGroup") is { } group) text += "." + group;
        return text + "/" + (KubeObject.String(parameters, "name") ?? "");
    }
}
