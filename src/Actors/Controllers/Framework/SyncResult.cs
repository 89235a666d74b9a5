namespace Akka.KubeEmu.Actors.Controllers.Framework;

/// <summary>
/// What a sync asks of the queue (controller-runtime's reconcile.Result): nothing (the key is
/// forgotten), a rate-limited retry, or a retry after a delay (minReadySeconds, progress
/// deadlines). An exception thrown by a sync is a rate-limited retry too.
/// </summary>
public readonly record struct SyncResult(bool Requeue, TimeSpan RequeueAfter)
{
    public static readonly SyncResult Done = new(false, TimeSpan.Zero);

    public static readonly SyncResult Retry = new(true, TimeSpan.Zero);

    public static SyncResult After(TimeSpan delay) => new(false, delay);
}
