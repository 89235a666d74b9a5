using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Client;

/// <summary>An object as JSON, from the Store or the API, or the error that replaced it.</summary>
/// <param name="Removed">The answer to a delete that removed the object, rather than marking it for deletion.</param>
public readonly record struct StoreResult(RawJson? Raw, ApiStatus? Error, bool Removed = false)
{
    public bool Ok => Error is null;

    public JsonObject Object => KubeObject.Parse((Raw ?? throw new InvalidOperationException($"no object: {Error}")).Utf8);

    public bool IsNotFound => Error?.Code == 404;

    public bool IsConflict => Error?.Code == 409;

    /// <summary>
    /// A create that made the object, or found it made already (the creator's cache is behind); any other
    /// failure throws, so that the controller retries with back-off.
    /// </summary>
    public void EnsureCreated()
    {
        if (!Ok && Error!.Reason != "AlreadyExists") throw new ApiException(Error);
    }
}
