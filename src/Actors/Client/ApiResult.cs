using Akka.KubeEmu.Actors.Api;

namespace Akka.KubeEmu.Actors.Client;

/// <summary>A typed answer of the API: the object, or the Status that replaced it.</summary>
public readonly record struct ApiResult<T>(T? Value, ApiStatus? Error)
{
    public bool Ok => Error is null;

    public bool IsNotFound => Error?.Code == 404;

    /// <summary>409 of either kind: a stale resourceVersion (Conflict) or a name taken (AlreadyExists).</summary>
    public bool IsConflict => Error?.Code == 409;

    public bool IsAlreadyExists => Error is { Code: 409, Reason: "AlreadyExists" };

    /// <summary>The object; a failed call throws <see cref="ApiException"/> (for syncs, whose exceptions requeue the key).</summary>
    public T Object => Error is null ? Value! : throw new ApiException(Error);

    public static ApiResult<T> Fail(ApiStatus status) => new(default, status);
}

/// <summary>An API call failed; the controller framework requeues the key with back-off.</summary>
public sealed class ApiException(ApiStatus status) : Exception(status.Message)
{
    public ApiStatus Status { get; } = status;
}
