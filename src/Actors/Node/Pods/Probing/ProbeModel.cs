using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Node.Pods;

public enum ProbeHandler { Exec, HttpGet, TcpSocket, Grpc }

/// <summary>A container probe (startupProbe, livenessProbe, readinessProbe) with the API's defaults.</summary>
/// <param name="Handler">Kept for the kubeemu.io annotations' messages: "http:80/", "tcp:8080", "grpc", "exec".</param>
public sealed record ProbeModel(int InitialDelaySeconds, int PeriodSeconds, int FailureThreshold, string Handler)
{
    public ProbeHandler Kind { get; init; } = ProbeHandler.Exec;
    public IReadOnlyList<string> Command { get; init; } = [];
    public string Path { get; init; } = "/";

    /// <summary>The port as written: a number or a container port's name.</summary>
    public string Port { get; init; } = "";
    public string Scheme { get; init; } = "HTTP";
    public string? Host { get; init; }
    public string? GrpcService { get; init; }
    public int TimeoutSeconds { get; init; } = 1;
    public int SuccessThreshold { get; init; } = 1;

    /// <summary>probe.terminationGracePeriodSeconds: the grace period of a kill this probe causes.</summary>
    public long? TerminationGracePeriodSeconds { get; init; }

    public static ProbeModel? Parse(JsonNode? node)
    {
        if (node is not JsonObject p) return null;
        var http = p["httpGet"] as JsonObject;
        var tcp = p["tcpSocket"] as JsonObject;
        var grpc = p["grpc"] as JsonObject;
        var handler = http is not null
            ? $"http:{KubeObject.ScalarText(http["port"])}{KubeObject.String(http, "path")}"
            : tcp is not null ? $"tcp:{KubeObject.ScalarText(tcp["port"])}"
            : grpc is not null ? "grpc" : "exec";
        return new ProbeModel(Int(p, "initialDelaySeconds", 0), Math.Max(1, Int(p, "periodSeconds", 10)), Math.Max(1, Int(p, "failureThreshold", 3)), handler)
        {
            Kind = http is not null ? ProbeHandler.HttpGet : tcp is not null ? ProbeHandler.TcpSocket : grpc is not null ? ProbeHandler.Grpc : ProbeHandler.Exec,
            Command = KubeObject.At(p, "exec.command") is JsonArray command ? command.Select(KubeObject.ScalarText).Select(s => s ?? "").ToArray() : [],
            Path = KubeObject.String(http, "path") is { Length: > 0 } path ? path : "/",
            Port = KubeObject.ScalarText((http ?? tcp ?? grpc)?["port"]) ?? "",
            Scheme = KubeObject.String(http, "scheme") ?? "HTTP",
            Host = KubeObject.String(http ?? tcp, "host"),
            GrpcService = KubeObject.String(grpc, "service"),
            TimeoutSeconds = Math.Max(1, Int(p, "timeoutSeconds", 1)),
            SuccessThreshold = Math.Max(1, Int(p, "successThreshold", 1)),
            TerminationGracePeriodSeconds = p["terminationGracePeriodSeconds"] is JsonValue g && g.TryGetValue<long>(out var grace) ? grace : null,
        };
    }

    /// <summary>The message the prober reports for a failed check of this kind (the kubeemu.io/liveness-fails-after override).</summary>
    public string FailureMessage(string podIp) => Handler switch
    {
        var h when h.StartsWith("http:", StringComparison.Ordinal) => "HTTP probe failed with statuscode: 500",
        var h when h.StartsWith("tcp:", StringComparison.Ordinal) => $"dial tcp {podIp}:{h[4..]}: connect: connection refused",
        "grpc" => "service unhealthy (responded with \"NOT_SERVING\")",
        _ => "command failed with exit code 1",
    };

    private static int Int(JsonObject o, string name, int fallback) =>
        o[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : fallback;
}
