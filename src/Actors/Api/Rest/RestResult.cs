using System.Text.Json.Nodes;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>
/// The outcome of a REST call: the object (or a Status for deletes that return one), the HTTP
/// code, warnings for the Warning header, or an error Status.
/// </summary>
public sealed record RestResult(int Code, RawJson? Body, ApiStatus? Error, IReadOnlyList<string> Warnings)
{
    public static RestResult Fail(ApiStatus status, IReadOnlyList<string>? warnings = null) =>
        new(status.Code, null, status, warnings ?? []);

    public static RestResult Ok(RawJson body, int code = 200, IReadOnlyList<string>? warnings = null) =>
        new(code, body, null, warnings ?? []);

    public static RestResult Ok(JsonObject body, int code = 200, IReadOnlyList<string>? warnings = null) =>
        Ok(new RawJson(Objects.KubeObject.ToBytes(body)), code, warnings);

    public bool IsError => Error is not null;
}
