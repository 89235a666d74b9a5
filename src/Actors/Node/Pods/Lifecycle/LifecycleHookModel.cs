using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Node.Pods.Lifecycle;

public enum LifecycleHandler { Exec, HttpGet, TcpSocket, Sleep }

/// <summary>A container's postStart or preStop handler (core/v1 LifecycleHandler).</summary>
public sealed record LifecycleHookModel(LifecycleHandler Kind)
{
    public IReadOnlyList<string> Command { get; init; } = [];
    public string Path { get; init; } = "";

    /// <summary>The port as written: a number or a container port's name.</summary>
    public string Port { get; init; } = "";
    public string Scheme { get; init; } = "HTTP";
    public string? Host { get; init; }
    public long SleepSeconds { get; init; }

    public static LifecycleHookModel? Parse(JsonNode? node)
    {
        if (node is not JsonObject h) return null;
        if (h["exec"] is JsonObject exec)
            return new(LifecycleHandler.Exec)
            {
                Command = exec["command"] is JsonArray command ? command.Select(KubeObject.ScalarText).Select(s => s ?? "").ToArray() : [],
            };
        if (h["httpGet"] is JsonObject http)
            return new(LifecycleHandler.HttpGet)
            {
                Path = KubeObject.String(http, "path") ?? "",
                Port = KubeObject.ScalarText(http["port"]) ?? "",
                Scheme = KubeObject.String(http, "scheme") ?? "HTTP",
                Host = KubeObject.String(http, "host"),
            };
        if (h["sleep"] is JsonObject sleep)
            return new(LifecycleHandler.Sleep) { SleepSeconds = sleep["seconds"] is JsonValue s && s.TryGetValue<long>(out var n) ? Math.Max(0, n) : 0 };
        // Deprecated, accepted by validation for compatibility, and never run by the kubelet.
        return h["tcpSocket"] is JsonObject ? new(LifecycleHandler.TcpSocket) : null;
    }
}
