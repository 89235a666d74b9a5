namespace Akka.KubeEmu.Host.ApiServer.Http;

/// <summary>What the client accepts, reduced to what this server can produce.</summary>
public enum ResponseFormat { Json, Table, PartialMetadata, Unacceptable }

/// <summary>
/// Content negotiation over the Accept header, as kube-apiserver does it: kubectl get asks for
/// <c>application/json;as=Table;v=v1;g=meta.k8s.io</c> (with plain JSON as fallback); protobuf is
/// not served, so a client that accepts only protobuf gets 406.
/// </summary>
public static class MediaTypes
{
    public const string Json = "application/json";
    public const string TableJson = "application/json;as=Table;v=v1;g=meta.k8s.io";
    public const string Yaml = "application/yaml";

    public static ResponseFormat Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept)) return ResponseFormat.Json;
        var sawAcceptable = false;
        foreach (var raw in accept.Split(','))
        {
            var parts = raw.Split(';').Select(p => p.Trim()).ToArray();
            var type = parts[0].ToLowerInvariant();
            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim(), StringComparer.Ordinal);
            if (type is not ("application/json" or "application/*" or "*/*" or "application/yaml")) continue;
            if (parameters.TryGetValue("as", out var asKind))
            {
                var group = parameters.GetValueOrDefault("g");
                var version = parameters.GetValueOrDefault("v");
                if (group != "meta.k8s.io" || version is not ("v1" or "v1beta1")) continue;
                if (asKind == "Table") return ResponseFormat.Table;
                if (asKind is "PartialObjectMetadata" or "PartialObjectMetadataList") return ResponseFormat.PartialMetadata;
                continue;
            }
            sawAcceptable = true;
            break;
        }
        return sawAcceptable ? ResponseFormat.Json : ResponseFormat.Unacceptable;
    }
}
