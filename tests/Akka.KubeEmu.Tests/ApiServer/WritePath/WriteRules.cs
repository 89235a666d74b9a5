using System.Text.Json.Nodes;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer.WritePath;

/// <summary>One request of a write-path table: what kubectl create/apply/patch/delete sends.</summary>
public sealed record WriteStep(HttpMethod Method, string Path, string? Body, string ContentType)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>A write the API must refuse: the requests that set the scene, the write, and what the user reads.</summary>
public sealed record RefusedWrite(WriteStep[] Setup, WriteStep Write, int Code, string Reason, string Message);

/// <summary>
/// A write the API must take (with <paramref name="Code"/> when given), and fields of its answer
/// (dotted paths, list items by index) with their expected JSON.
/// </summary>
public sealed record AcceptedWrite(WriteStep[] Setup, WriteStep Write, (string Path, string? Json)[] Expected, int? Code = null);

/// <summary>Builds and runs the rows of the write-path tables (one table per kind group).</summary>
public static class WriteRules
{
    public const string MergePatchJson = "application/merge-patch+json";

    public static WriteStep Post(string path, string body) => new(HttpMethod.Post, path, body, "application/json");

    public static WriteStep MergePatch(string path, string body) => new(HttpMethod.Patch, path, body, MergePatchJson);

    /// <summary>What `kubectl set image`/`patch` send: lists merge by their keys (a container by its name).</summary>
    public static WriteStep StrategicPatch(string path, string body) => new(HttpMethod.Patch, path, body, "application/strategic-merge-patch+json");

    public static WriteStep Put(string path, string body) => new(HttpMethod.Put, path, body, "application/json");

    public static WriteStep Delete(string path) => new(HttpMethod.Delete, path, null, "application/json");

    public static WriteStep Get(string path) => new(HttpMethod.Get, path, null, "application/json");

    public static RefusedWrite Refused(WriteStep[] setup, WriteStep write, string message, int code = 422, string reason = "Invalid") =>
        new(setup, write, code, reason, message);

    public static AcceptedWrite Accepted(WriteStep[] setup, WriteStep write, params (string Path, string? Json)[] expected) => new(setup, write, expected);

    public static AcceptedWrite Created(WriteStep[] setup, WriteStep write, params (string Path, string? Json)[] expected) => new(setup, write, expected, 201);

    public static async Task Run(HttpClient client, RefusedWrite row)
    {
        foreach (var step in row.Setup) await Ok(await Send(client, step));
        Assert.Equal(row.Message, await Failure(await Send(client, row.Write), row.Code, row.Reason));
    }

    public static async Task Run(HttpClient client, AcceptedWrite row)
    {
        foreach (var step in row.Setup) await Ok(await Send(client, step));
        var response = await Send(client, row.Write);
        var answer = await Ok(response);
        if (row.Code is { } code) Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal(row.Expected.Select(e => (e.Path, e.Json)), row.Expected.Select(e => (e.Path, At(answer, e.Path)?.ToJsonString())));
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, WriteStep step)
    {
        var request = new HttpRequestMessage(step.Method, step.Path);
        if (step.Body is not null) request.Content = Body(step.Body, step.ContentType);
        return client.SendAsync(request);
    }

    private static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
            node = node switch
            {
                JsonObject o => o[part],
                JsonArray a when int.TryParse(part, out var i) && i < a.Count => a[i],
                _ => null,
            };
        return node;
    }
}
