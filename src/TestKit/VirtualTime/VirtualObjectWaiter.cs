using System.Diagnostics;
using Akka.KubeEmu.Host.VirtualTime;
using Akka.KubeEmu.TestKit.Api;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.TestKit.VirtualTime;

/// <summary>
/// A WaitFor… in virtual time: the deadline is virtual, and nothing happens unless the clocks
/// move, so the waiter lists the objects, and if the condition does not hold yet moves the clocks
/// one step (the cluster settles) and lists again. It returns at the first step that satisfies
/// the condition, so <see cref="VirtualClock.Now"/> then is the virtual instant it came true (to a
/// step). A real-time limit guards against a wait whose steps take too long.
/// </summary>
internal sealed class VirtualObjectWaiter(ObjectWaiter lists, ResourceKinds kinds, VirtualClock clock, VirtualTimeOptions options) : IObjectWaiter
{
    public async Task<IReadOnlyList<T>> Until<T>(string? ns, string? name, string? labelSelector,
        Func<IReadOnlyList<T>, bool> done, TimeSpan timeout, string condition, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        (var kind, ns, var fieldSelector) = await ObjectWaiter.Target<T>(kinds, ns, name, ct);
        var seen = new SortedDictionary<string, T>(StringComparer.Ordinal);
        var start = clock.Now;
        var real = Stopwatch.StartNew();
        Stopwatch? grace = null;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                await lists.List(kind, ns, fieldSelector, labelSelector, seen, ct);
                lastError = null;
                var snapshot = ObjectWaiter.Snapshot(seen);
                if (done(snapshot)) return snapshot;
            }
            catch (k8s.Autorest.HttpOperationException e)
            {
                lastError = e;
            }
            catch (HttpRequestException e)
            {
                lastError = e;
            }
            var what = kind.Describe(ns, name) + (labelSelector is null ? "" : $" with labels {labelSelector}");
            if (real.Elapsed > options.RealTimeLimit)
                throw new WaitTimeoutException($"{what} (gave up after {real.Elapsed.TotalSeconds:0} s of real time, {(clock.Now - start).TotalSeconds:0} s of virtual time)",
                    condition, timeout, ObjectWaiter.Snapshot(seen), lastError);
            if (clock.Now - start >= timeout)
            {
                // What the last step set off may still be on its way: a little real time, the clocks still.
                grace ??= Stopwatch.StartNew();
                if (grace.Elapsed > options.RealTimeGrace)
                    throw new WaitTimeoutException($"{what} (virtual time)", condition, timeout, ObjectWaiter.Snapshot(seen), lastError);
                await Task.Delay(options.SettleInterval * 10, ct);
                continue;
            }
            await clock.Advance(clock.Step, ct);
        }
    }
}
