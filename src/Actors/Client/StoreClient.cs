using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Client;

/// <summary>
/// Request/response access to the Store for code outside actors (the API server) and for
/// actors that pipe the task back to themselves. A store that does not answer in time gives a
/// 504 Timeout status, never an exception.
/// </summary>
public sealed class StoreClient(IActorRef store, TimeSpan timeout)
{
    private readonly AskDeadlines _deadlines = AskDeadlines.For(timeout);

    public IActorRef Store { get; } = store;

    public TimeSpan Timeout { get; } = timeout;

    public Task<StoreResult> Create(string resource, JsonObject obj, bool dryRun = false) =>
        Single(new CreateObject(resource, new RawJson(KubeObject.ToBytes(obj)), dryRun));

    public Task<StoreResult> Update(string resource, JsonObject obj, string? subresource = null, bool dryRun = false) =>
        Single(new UpdateObject(resource, new RawJson(KubeObject.ToBytes(obj)), subresource, dryRun));

    public Task<StoreResult> Get(string resource, string ns, string name) => Single(new GetObject(resource, ns, name));

    public Task<StoreResult> Delete(DeleteObject command) => Single(command);

    public Task<StoreResult> Delete(string resource, string ns, string name, long? gracePeriodSeconds = null) =>
        Single(new DeleteObject(resource, ns, name, gracePeriodSeconds));

    public async Task<(StoreList? List, ApiStatus? Error)> List(ListObjects command)
    {
        var reply = await Ask(command);
        return reply switch
        {
            StoreList l => (l, null),
            StoreFailure f => (null, f.Status),
            _ => (null, Unexpected(reply)),
        };
    }

    public async Task<StoreResult> Single(IStoreCommand command)
    {
        var reply = await Ask(command);
        return reply switch
        {
            StoreObject o => new StoreResult(o.Object, null, o.Removed),
            StoreFailure f => new StoreResult(null, f.Status),
            _ => new StoreResult(null, Unexpected(reply)),
        };
    }

    private async Task<object> Ask(IStoreCommand command)
    {
        try
        {
            // No timeout of Ask's own: one timer per request contends for the timer queues' locks.
            return await Store.Ask<object>(command, null, _deadlines.Start());
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            return new StoreFailure(ApiStatus.Timeout("the store did not answer in time; the request may still be applied"));
        }
    }

    private static ApiStatus Unexpected(object reply) => ApiStatus.Internal($"unexpected store reply {reply.GetType().Name}");
}
