using System.Buffers;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Protobuf;
using Akka.KubeEmu.Actors.Api.Rest;

namespace Akka.KubeEmu.Host.ApiServer.Http;

/// <summary>Reads request bodies with kube-apiserver's size limit and decodes JSON or YAML.</summary>
public static class RequestBodies
{
    /// <summary>kube-apiserver's --max-request-bytes default for writes: 3 MiB.</summary>
    public const int MaxBytes = 3 * 1024 * 1024;

    public static async Task<(byte[]? Body, ApiStatus? Error)> Read(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes) return (null, TooLarge());
        // Most clients send Content-Length: read straight into an array of that size. An 80 KB
        // scratch buffer per request was most of the API server's allocations (and so of its GCs).
        if (request.ContentLength is { } length) return (await ReadExactly(request.Body, (int)length, ct), null);

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > MaxBytes) return (null, TooLarge());
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return (buffer.ToArray(), null);
    }

    private static async Task<byte[]> ReadExactly(Stream body, int length, CancellationToken ct)
    {
        var bytes = new byte[length];
        var filled = 0;
        int read;
        while (filled < length && (read = await body.ReadAsync(bytes.AsMemory(filled), ct)) > 0) filled += read;
        return filled == length ? bytes : bytes[..filled];
    }

    /// <summary>
    /// Decodes an object body: JSON (the default), YAML or Kubernetes protobuf (typed client-go
    /// clients); with the fields a JSON body names twice.
    /// </summary>
    public static (JsonObject? Object, ApiStatus? Error, IReadOnlyList<string> Duplicates) Decode(string? contentType, byte[] body)
    {
        var media = (contentType ?? MediaTypes.Json).Split(';')[0].Trim().ToLowerInvariant();
        if (body.Length == 0) return (null, ApiStatus.BadRequest("the body of the request was empty"), []);
        if (media is "application/json" or "" or "*/*") return RestStorage.ParseBody(body);
        var (obj, error) = media switch
        {
            "application/yaml" or "application/x-yaml" or "text/yaml" => YamlBody.ToJson(body),
            KubernetesProtobuf.MediaType => KubernetesProtobuf.Decode(body),
            _ => (null, ApiStatus.UnsupportedMediaType()),
        };
        return (obj, error, []);
    }

    private static ApiStatus TooLarge() => ApiStatus.TooLarge($"Request entity too large: limit is {MaxBytes}");
}
