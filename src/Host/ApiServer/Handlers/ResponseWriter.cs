using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;
using Akka.KubeEmu.Host.ApiServer.Http;
using Akka.KubeEmu.Actors.Api.Printers;

namespace Akka.KubeEmu.Host.ApiServer.Handlers;

/// <summary>Writes objects, lists and tables in the negotiated format.</summary>
public static class ResponseWriter
{
    public static async Task Result(HttpContext context, RestResult result, ResourceType type, ResponseFormat format, DateTimeOffset now)
    {
        if (result.Error is { } error)
        {
            await StatusResponses.Write(context, error, result.Warnings);
            return;
        }
        WarningHeaders.Add(context, result.Warnings);
        var body = result.Body!;
        if (format == ResponseFormat.Table && KubeObject.Parse(body.Utf8) is var obj && KubeObject.Kind(obj) == type.Kind)
        {
            var table = TableConvertor.ToTable(type, [obj], now, QueryOptions.Include(context.Request));
            KubeObject.Metadata(table)["resourceVersion"] = KubeObject.ResourceVersion(obj);
            await Json(context, result.Code, KubeObject.ToBytes(table), MediaTypes.TableJson);
            return;
        }
        await Json(context, result.Code, body.Utf8, MediaTypes.Json);
    }

    public static async Task List(HttpContext context, ResourceType type, StoreList list, ResponseFormat format, DateTimeOffset now)
    {
        if (format == ResponseFormat.Table)
        {
            var table = TableConvertor.ToTable(type, list.Items.Select(i => KubeObject.Parse(i.Utf8)).ToArray(), now,
                QueryOptions.Include(context.Request));
            table["metadata"] = ListMeta(list);
            await Json(context, 200, KubeObject.ToBytes(table), MediaTypes.TableJson);
            return;
        }

        // Lists can be large: write the envelope around the stored bytes instead of building a tree.
        context.Response.StatusCode = 200;
        context.Response.ContentType = MediaTypes.Json;
        var head = $"{{\"kind\":\"{type.ListKind}\",\"apiVersion\":\"{type.ApiVersion}\",\"metadata\":{ListMeta(list).ToJsonString()},\"items\":[";
        var output = context.Response.Body;
        await output.WriteAsync(Encoding.UTF8.GetBytes(head));
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (i > 0) await output.WriteAsync(Comma);
            await output.WriteAsync(list.Items[i].Utf8);
        }
        await output.WriteAsync(Close);
    }

    public static Task Json(HttpContext context, int code, byte[] body, string contentType)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = contentType;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    public static Task Json(HttpContext context, JsonObject body) => Json(context, 200, KubeObject.ToBytes(body), MediaTypes.Json);

    private static JsonObject ListMeta(StoreList list)
    {
        var meta = new JsonObject { ["resourceVersion"] = list.ResourceVersion };
        if (list.Continue is not null) meta["continue"] = list.Continue;
        if (list.RemainingItemCount is { } remaining) meta["remainingItemCount"] = remaining;
        return meta;
    }

    private static readonly byte[] Comma = ","u8.ToArray();
    private static readonly byte[] Close = "]}"u8.ToArray();

    public static RawJson Raw(JsonObject o) => new(KubeObject.ToBytes(o));
}
