using System.Text.Json.Nodes;
using System.Threading.Channels;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Host.ApiServer.Http;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Host.ApiServer.Watch;

namespace Akka.KubeEmu.Host.ApiServer.Handlers;

/// <summary>
/// A watch over HTTP: a chunked stream of <c>{"type":...,"object":...}</c> lines, as
/// kube-apiserver sends for JSON. A resourceVersion too old for the store's window is
/// answered, like the real server, with 200 and one ERROR event carrying a 410 Expired Status.
/// </summary>
public sealed class WatchHandler(ApiServerServices services)
{
    private static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(15);

    // The Store ends a watch with more unacknowledged events than this, and every batch holds at
    // least one, so the relay never has more batches waiting (plus WatchAccepted, a failure and a
    // first batch that may exceed the limit on its own).
    private readonly int _bufferedBatches = StoreSettings.From(services.System.Settings.Config).WatchMaxUnacknowledged + 3;

    private readonly TimeSpan _bookmarkFrequency =
        services.System.Settings.Config.GetTimeSpan("kubeemu.store.watch-bookmark-frequency", TimeSpan.FromMinutes(1), allowInfinite: false);

    public async Task Serve(HttpContext context, RequestInfo info, ResponseFormat format)
    {
        var request = context.Request;
        var fieldSelector = request.Query["fieldSelector"].ToString();
        if (FieldLabels.Check(info.Type, fieldSelector) is { } unsupported)
        {
            await StatusResponses.Write(context, unsupported);
            return;
        }
        if (info.Name is not null)
            fieldSelector = string.IsNullOrEmpty(fieldSelector) ? $"metadata.name={info.Name}" : $"{fieldSelector},metadata.name={info.Name}";

        var (options, invalid) = WatchOptions.From(request);
        if (options is null)
        {
            await StatusResponses.Write(context, invalid!);
            return;
        }
        var storage = ResourceCatalog.StorageOf(info.Type);
        // WatchList: the current state first, whatever resourceVersion (NotOlderThan) was given, as
        // the Store is never behind it.
        var watch = new WatchObjects(storage.GroupResource, Guid.NewGuid().ToString("N"), info.Namespace,
            request.Query["labelSelector"], fieldSelector, options.SendInitialEvents ? null : request.Query["resourceVersion"].ToString());
        var channel = Channel.CreateBounded<object>(new BoundedChannelOptions(_bufferedBatches)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var deadline = QueryOptions.WatchTimeout(request);
        var relay = services.System.ActorOf(WatchRelay.Props(services.Store, watch, options,
            new WatchRelay.BookmarkSchedule(_bookmarkFrequency, deadline), channel.Writer, AcceptTimeout));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(deadline);
        try
        {
            await Stream(context, info, format, channel.Reader, relay, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Client went away or the watch timed out: both simply end the stream.
        }
        finally
        {
            relay.Tell(PoisonPill.Instance);
        }
    }

    private async Task Stream(HttpContext context, RequestInfo info, ResponseFormat format, ChannelReader<object> reader, IActorRef relay, CancellationToken ct)
    {
        var response = context.Response;
        var include = QueryOptions.Include(context.Request);
        var asStored = format == ResponseFormat.Json && info.Type.Custom is null && !ServedVersions.IsConverted(info.Type);
        var started = false;
        await foreach (var item in reader.ReadAllAsync(ct))
        {
            switch (item)
            {
                case StoreFailure { Status.Code: 410 } gone:
                    await Start();
                    await WriteEvent("ERROR", StatusResponses.ToJson(gone.Status));
                    return;
                case StoreFailure failure:
                    if (!started) await StatusResponses.Write(context, failure.Status);
                    return;
                case WatchAccepted:
                    await Start();
                    break;
                case WatchEvents events:
                    foreach (var ev in events.Events)
                    {
                        if (asStored)
                        {
                            await WriteStoredEvent(ev.Type, ev.Object.Utf8);
                            continue;
                        }
                        var obj = KubeObject.Parse(ev.Object.Utf8);
                        if (info.Type.Custom is not null) obj["apiVersion"] = info.Type.ApiVersion;
                        else obj = ServedVersions.FromStorage(info.Type, obj);
                        JsonNode payload = format == ResponseFormat.Table
                            ? TableConvertor.ToTable(info.Type, [obj], services.Time.GetUtcNow(), include)
                            : obj;
                        await WriteEvent(ev.Type, payload, flush: false);
                    }
                    await response.Body.FlushAsync(ct);
                    relay.Tell(new WatchRelay.Written(events.Events.Count));
                    break;
                case WatchRelay.Bookmark bookmark when format != ResponseFormat.Table:
                    await WriteEvent("BOOKMARK", BookmarkObject(info, bookmark));
                    break;
            }
        }

        async Task Start()
        {
            if (started) return;
            started = true;
            response.StatusCode = 200;
            response.ContentType = format == ResponseFormat.Table ? MediaTypes.TableJson : MediaTypes.Json;
            response.Headers.CacheControl = "no-cache, private";
            await response.Body.FlushAsync(ct);
        }

        // The stored object is what the client gets (JSON, a kind served in its storage version): its
        // bytes are written as they are, without a parse and a serialization per event and watcher.
        async Task WriteStoredEvent(string type, byte[] utf8)
        {
            await response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":"), ct);
            await response.Body.WriteAsync(utf8, ct);
            await response.Body.WriteAsync("}\n"u8.ToArray(), ct);
        }

        async Task WriteEvent(string type, JsonNode obj, bool flush = true)
        {
            var line = new JsonObject { ["type"] = type, ["object"] = obj };
            await response.Body.WriteAsync(KubeObject.ToBytes(line), ct);
            await response.Body.WriteAsync("\n"u8.ToArray(), ct);
            if (flush) await response.Body.FlushAsync(ct);
        }
    }

    /// <summary>An empty object of the watched kind that carries only the resourceVersion (and the initial-events-end annotation).</summary>
    private static JsonObject BookmarkObject(RequestInfo info, WatchRelay.Bookmark bookmark)
    {
        var metadata = new JsonObject { ["resourceVersion"] = bookmark.ResourceVersion };
        if (bookmark.InitialEventsEnd) metadata["annotations"] = new JsonObject { [WatchOptions.InitialEventsEndAnnotation] = "true" };
        return new JsonObject { ["kind"] = info.Type.Kind, ["apiVersion"] = info.Type.ApiVersion, ["metadata"] = metadata };
    }

    /// <summary>
    /// An unknown path: errors.NewNotFound with an empty GroupResource and name, so its details are
    /// present and empty (kubectl debug reads details.name to tell "ephemeral containers are disabled").
    /// </summary>
    public static ApiStatus NotFound => new(404, "NotFound", "the server could not find the requested resource", new StatusDetails());
}
