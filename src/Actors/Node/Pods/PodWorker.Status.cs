using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Flowcontrol;

namespace Akka.KubeEmu.Actors.Node.Pods;

// The status manager's part (pkg/kubelet/status): one write in flight per pod; changes made
// meanwhile are coalesced into the next write; unchanged statuses are not written.
public sealed partial class PodWorker
{
    private Backoff? _writeBackoff; // only pods whose writes fail need one
    private bool _dirty;
    private bool _flushScheduled;
    private bool _writeInFlight;
    private string? _lastWritten;
    private long _writtenResourceVersion;

    private void MarkDirty()
    {
        _dirty = true;
        if (_flushScheduled || _writeInFlight || _finished) return;
        _flushScheduled = true;
        Self.Tell(FlushStatus.Instance);
    }

    private void OnFlushStatus()
    {
        _flushScheduled = false;
        if (_writeInFlight || !_dirty || _finished) return;
        _dirty = false;
        // One parse serves both: the status is only read here (Build copies what it keeps) before the write.
        var latest = KubeObject.Parse(_latest.Utf8);
        var stored = latest["status"] as JsonObject;
        var status = PodStatusBuilder.Build(new PodStatusInput(_pod, stored, _init, _main, _initialized, _sandboxReady,
            _terminalPhase, _rejection, _node.Network.InternalIp, _podIp, _startTime, _clock, Now) { Eviction = _eviction, Ephemeral = _ephemeral });
        var text = status.ToJsonString();
        if ((text == _lastWritten && !ChangedByOthers(stored, status)) || (_lastWritten is null && JsonNode.DeepEquals(stored, status)))
        {
            _lastWritten = text;
            AfterFinalStatusIfClean();
            return;
        }
        _writeInFlight = true;
        // Written against the pod as last seen (its resourceVersion a precondition): no read first; a
        // pod changed meanwhile answers 409 and is read again.
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = _pod.Name, ["namespace"] = _pod.Namespace, ["uid"] = _pod.Uid, ["resourceVersion"] = _pod.ResourceVersion.ToString(),
            },
            ["status"] = status,
        };
        _node.Api.Update(ResourceCatalog.Pods, body, "status", latest)
            .PipeTo(Self, success: r => new StatusWritten(r, text),
                failure: e => new StatusWritten(new StoreResult(null, ApiStatus.Internal(e.GetBaseException().Message)), text));
    }

    /// <summary>
    /// The status manager's needsReconcile: the stored status is newer than our last write and no
    /// longer what we would write (the node controller marked the pod NotReady while the control
    /// plane was away, say), so it is written again even though our view did not change.
    /// </summary>
    private bool ChangedByOthers(JsonObject? stored, JsonObject status) =>
        _pod.ResourceVersion > _writtenResourceVersion && _writtenResourceVersion > 0 && !JsonNode.DeepEquals(stored, status);

    private void OnStatusWritten(StatusWritten written)
    {
        _writeInFlight = false;
        var result = written.Result;
        if (result.Ok)
        {
            _lastWritten = written.Text;
            // The answer is the pod as stored now: the next write goes against it. The watch brings the
            // same version later (the Store flushes watches after its queued commands), and a write sent
            // before that against the version it replaced would only earn a 409, a read and a third try.
            var stored = result.Object;
            _writtenResourceVersion = long.TryParse(KubeObject.ResourceVersion(stored), out var rv) ? rv : 0;
            OnPodChanged(result.Raw!, stored);
            _writeBackoff?.Reset();
            if (_dirty) MarkDirty();
            else AfterFinalStatusIfClean();
            return;
        }
        if (result.IsConflict && result.Error!.Message.Contains(ApiStatus.ObjectModifiedReason))
        {
            // Someone else wrote the pod since we last saw it: read it, then write again.
            _dirty = true;
            _flushScheduled = true;
            _node.Api.Get(ResourceCatalog.Pods, _pod.Namespace, _pod.Name)
                .PipeTo(Self, success: r => new LatestRead(r),
                    failure: e => new LatestRead(new StoreResult(null, ApiStatus.Internal(e.GetBaseException().Message))));
            return;
        }
        if (result.IsNotFound || result.IsConflict)
        {
            // The pod was deleted (or replaced by one of the same name): nothing left to report.
            Finish();
            return;
        }
        _dirty = true;
        _flushScheduled = true;
        Timers.StartSingleTimer("status", FlushStatus.Instance, (_writeBackoff ??= new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10))).NextDelay(_node.Now));
    }

    private void OnLatestRead(LatestRead read)
    {
        _flushScheduled = false;
        if (read.Result.IsNotFound)
        {
            Finish();
            return;
        }
        if (read.Result.Ok)
        {
            OnPodChanged(read.Result.Raw!); // the worker's Sync then marks the status dirty again
            return;
        }
        _flushScheduled = true;
        Timers.StartSingleTimer("status", FlushStatus.Instance, (_writeBackoff ??= new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10))).NextDelay(_node.Now));
    }

    private void AfterFinalStatusIfClean()
    {
        if (!_dirty && !_writeInFlight && (_terminalPhase is not null || _rejection is not null)) AfterFinalStatus();
    }

    private sealed class FlushStatus
    {
        public static readonly FlushStatus Instance = new();
    }

    private sealed record LatestRead(StoreResult Result);

    private sealed record StatusWritten(StoreResult Result, string Text);
}
