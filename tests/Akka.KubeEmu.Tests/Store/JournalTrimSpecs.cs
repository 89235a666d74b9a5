using Akka.KubeEmu.Actors.Store;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

public sealed class JournalTrimSpecs
{
    [Fact]
    public void A_snapshot_is_trimmed_up_to_in_steps_one_at_a_time()
    {
        var trim = new JournalTrim(step: 100);
        Assert.Equal(100, trim.SnapshotSaved(250));
        Assert.Null(trim.SnapshotSaved(300)); // a step is in flight: no second delete at once
        Assert.Equal(200, trim.Deleted(100));
        Assert.Equal(300, trim.Deleted(200));
        Assert.Null(trim.Deleted(300));
    }

    [Fact]
    public void After_recovery_the_range_below_the_recovered_snapshot_goes_in_one_step()
    {
        var trim = new JournalTrim(step: 100);
        trim.RecoveredFrom(10_000);
        Assert.Equal(10_000, trim.SnapshotSaved(10_150));
        Assert.Equal(10_100, trim.Deleted(10_000));
        Assert.Equal(10_150, trim.Deleted(10_100));
        Assert.Null(trim.Deleted(10_150));
    }

    [Fact]
    public void A_failed_step_waits_for_the_next_snapshot_and_resumes_where_it_stopped()
    {
        var trim = new JournalTrim(step: 100);
        Assert.Equal(100, trim.SnapshotSaved(500));
        trim.Failed();
        Assert.Equal(100, trim.SnapshotSaved(600));
        Assert.Equal(200, trim.Deleted(100));
    }
}
