using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Client;

/// <summary>
/// A typed answer of the API: the object, or the Status that replaced it. An object that came as JSON
/// is decoded when first read (once): most writers only want to know that the write went through, or
/// the one field they need, and a pod decoded for nothing is a large share of a controller's create.
/// </summary>
public readonly struct ApiResult<T> where T : class
{
    private readonly T? _value;
    private readonly Pending? _pending;

    public ApiResult(T? value, ApiStatus? error)
    {
        _value = value;
        Error = error;
    }

    internal ApiResult(byte[] utf8)
    {
        _pending = new Pending(utf8);
    }

    public T? Value => _pending is null ? _value : _pending.Decoded();

    public ApiStatus? Error { get; }

    public bool Ok => Error is null;

    public bool IsNotFound => Error?.Code == 404;

    /// <summary>409 of either kind: a stale resourceVersion (Conflict) or a name taken (AlreadyExists).</summary>
    public bool IsConflict => Error?.Code == 409;

    public bool IsAlreadyExists => Error is { Code: 409, Reason: "AlreadyExists" };

    /// <summary>The object; a failed call throws <see cref="ApiException"/> (for syncs, whose exceptions requeue the key).</summary>
    public T Object => Error is null ? Value! : throw new ApiException(Error);

    public static ApiResult<T> Fail(ApiStatus status) => new(default, status);

    // Shared by the copies of the struct, so the bytes are decoded once whichever copy reads them.
    private sealed class Pending(byte[] utf8)
    {
        private T? _value;

        public T Decoded() => _value ??= KubeModels.Decode<T>(utf8);
    }
}

/// <summary>An API call failed; the controller framework requeues the key with back-off.</summary>
public sealed class ApiException(ApiStatus status) : Exception(status.Message)
{
    public ApiStatus Status { get; } = status;
}
