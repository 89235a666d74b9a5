namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// Deletes the journal up to the latest snapshot in bounded steps. SQLite has one writer: one
/// DeleteMessages for a whole snapshot interval (80,000 rows after a snapshot of 80,000 objects)
/// held the write lock for about 250 ms, and every create acknowledged in that time waited for
/// it (p99 at 100 creates/s went from 4 ms to 240 ms). Steps of a few thousand rows keep each
/// pause to milliseconds; the journal catches up between them.
/// </summary>
public sealed class JournalTrim(int step)
{
    private long _deletedTo;
    private long _recoveredSnapshot;
    private long _target;
    private long _inFlight;

    /// <summary>
    /// After recovery from a snapshot at <paramref name="sequenceNr"/>: rows up to it were deleted
    /// when it was saved unless the process died while trimming, so they are deleted again in
    /// one step (nothing to do in the usual case, and never replayed anyway).
    /// </summary>
    public void RecoveredFrom(long sequenceNr) => _recoveredSnapshot = sequenceNr;

    /// <summary>A snapshot at <paramref name="sequenceNr"/> is saved; the step to delete now, if any.</summary>
    public long? SnapshotSaved(long sequenceNr)
    {
        _target = Math.Max(_target, sequenceNr);
        return _inFlight == 0 ? Next() : null;
    }

    /// <summary>Rows up to <paramref name="sequenceNr"/> are deleted; the next step, if any.</summary>
    public long? Deleted(long sequenceNr)
    {
        _deletedTo = Math.Max(_deletedTo, sequenceNr);
        _inFlight = 0;
        return Next();
    }

    /// <summary>A step failed: stop here; the next snapshot tries again from the same place.</summary>
    public void Failed() => _inFlight = 0;

    private long? Next()
    {
        if (_deletedTo >= _target) return null;
        _inFlight = _deletedTo < _recoveredSnapshot
            ? Math.Min(_recoveredSnapshot, _target)
            : Math.Min(_target, _deletedTo + step);
        return _inFlight;
    }
}
