namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// Deletes the journal up to the latest snapshot in bounded steps. SQLite has one writer: one
/// DeleteMessages for a whole snapshot interval holds the write lock for the whole delete
/// (measured: 160,000 rows of 1 KB took about 1 s), and every create acknowledged in that time
/// waits for it. Steps of 1,000 rows take a few milliseconds each (with the index of
/// JournalTrimIndex); the journal's inserts go on between them.
/// </summary>
public sealed class JournalTrim(int step)
{
    private long _deletedTo;
    private long _recoveredSnapshot;
    private long _target;
    private bool _deleting;

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
        return _deleting ? null : Next();
    }

    /// <summary>Rows up to <paramref name="sequenceNr"/> are deleted; the next step, if any.</summary>
    public long? Deleted(long sequenceNr)
    {
        _deletedTo = Math.Max(_deletedTo, sequenceNr);
        _deleting = false;
        return Next();
    }

    /// <summary>A step failed: stop here; the next snapshot tries again from the same place.</summary>
    public void Failed() => _deleting = false;

    private long? Next()
    {
        if (_deletedTo >= _target) return null;
        _deleting = true;
        return _deletedTo < _recoveredSnapshot
            ? Math.Min(_recoveredSnapshot, _target)
            : Math.Min(_target, _deletedTo + step);
    }
}
