using System.Text.Json.Serialization;

namespace Akka.KubeEmu.TestKit;

/// <summary>One KubeEmu process as <c>processes.json</c> of the state directory lists it.</summary>
public sealed record ClusterProcess(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("akkaAddress")] string AkkaAddress,
    [property: JsonPropertyName("apiUrl")] string? ApiUrl,
    [property: JsonPropertyName("command")] IReadOnlyList<string> Command)
{
    public override string ToString() => $"{Name} (pid {Pid}, {AkkaAddress})";
}
