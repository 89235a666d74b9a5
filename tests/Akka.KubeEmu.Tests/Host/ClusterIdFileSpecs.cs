using Akka.KubeEmu.Host.Startup;
using Akka.KubeEmu.Host.StateDirectory;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Host;

public sealed class ClusterIdFileSpecs : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void The_id_is_created_once_and_kept_across_restarts()
    {
        var first = ClusterIdFile.ReadOrCreate(_dir.Path);

        Assert.Matches("^[0-9a-f]{16}$", first);
        Assert.Equal(first, ClusterIdFile.ReadOrCreate(_dir.Path));
        Assert.Equal(first, ClusterIdFile.Read(_dir.Path));
    }

    [Fact]
    public void Two_state_directories_get_two_ids()
    {
        using var other = new TempDir();
        Assert.NotEqual(ClusterIdFile.ReadOrCreate(_dir.Path), ClusterIdFile.ReadOrCreate(other.Path));
    }

    [Fact]
    public void An_id_taken_from_the_cluster_never_replaces_the_recorded_one()
    {
        Assert.Null(ClusterIdFile.Read(_dir.Path));
        Assert.Equal("aaa", ClusterIdFile.Record(_dir.Path, "aaa"));
        Assert.Equal("aaa", ClusterIdFile.Record(_dir.Path, "bbb"));
        Assert.Equal("aaa", ClusterIdFile.Read(_dir.Path));
    }

    [Fact]
    public void The_cluster_id_option_is_recorded_and_must_match_the_state_directory()
    {
        Assert.Equal("team-a", ClusterIdFile.Resolve(_dir.Path, "team-a"));
        Assert.Equal("team-a", ClusterIdFile.Resolve(_dir.Path, null));

        var mismatch = Assert.Throws<StartupFailure>(() => ClusterIdFile.Resolve(_dir.Path, "team-b"));
        Assert.Contains("--cluster-id team-b does not match the cluster id team-a", mismatch.Message);
        Assert.Throws<StartupFailure>(() => ClusterIdFile.Resolve(_dir.Path, "no spaces"));
    }

    public void Dispose() => _dir.Dispose();
}
