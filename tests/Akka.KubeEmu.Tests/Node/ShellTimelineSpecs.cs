using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Logs;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

/// <summary>The container process as a lazy timeline over virtual time: output, files, exit.</summary>
public sealed class ShellTimelineSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly CatalogImage Busybox = new(ImageBehaviour.Run, ["sh"], 0, 0, false, 0, 1, null);

    private static (ContainerProcess Process, ContainerLog Log) Start(string script, ContainerFileSystem? files = null,
        Dictionary<string, string>? env = null, bool mustFinish = false, CatalogImage? image = null, string[]? argv = null)
    {
        var log = new ContainerLog(ContainerLogSettings.Default, "c1");
        var spec = new ProcessSpec(argv ?? ["sh", "-c", script], image ?? Busybox, env ?? new Dictionary<string, string> { ["HOSTNAME"] = "pod-a" },
            "pod-a", mustFinish, false, []);
        var process = new ContainerProcess(spec, files ?? ContainerFileSystem.Empty(), log, T0);
        process.Advance(T0);
        return (process, log);
    }

    private static string[] Texts(ContainerLog log) => log.Lines.Select(l => l.Text).ToArray();

    [Fact]
    public void An_endless_counter_prints_one_line_per_sleep_and_is_computed_only_as_far_as_time_has_gone()
    {
        var (process, log) = Start("i=0; while true; do echo \"$i: $(date)\"; i=$((i+1)); sleep 5; done");
        Assert.Equal(["0: Sun Nov 22 12:00:00 UTC 2026"], Texts(log));
        Assert.Equal(T0.AddSeconds(5), process.NextDue);

        process.Advance(T0.AddSeconds(12));
        Assert.Equal(["0: Sun Nov 22 12:00:00 UTC 2026", "1: Sun Nov 22 12:00:05 UTC 2026", "2: Sun Nov 22 12:00:10 UTC 2026"], Texts(log));
        Assert.Equal([T0, T0.AddSeconds(5), T0.AddSeconds(10)], log.Lines.Select(l => l.Time));
        Assert.Equal(T0.AddSeconds(15), process.NextDue);
        Assert.False(process.Exited);
    }

    [Fact]
    public void A_script_exits_with_its_code_at_the_time_its_sleeps_add_up_to()
    {
        var (process, log) = Start("echo start; sleep 2; echo oops >&2; exit 3");
        process.Advance(T0.AddSeconds(10));
        Assert.True(process.Exited);
        Assert.Equal(3, process.ExitCode);
        Assert.Equal(T0.AddSeconds(2), process.ExitedAt);
        Assert.Equal([("start", false), ("oops", true)], log.Lines.Select(l => (l.Text, l.Stderr)));
    }

    [Fact]
    public void Waiting_programs_have_no_next_step_at_all()
    {
        Assert.Null(Start("sleep infinity").Process.NextDue);
        Assert.Null(Start("tail -f /dev/null").Process.NextDue);
        var (busy, _) = Start("while true; do :; done");
        Assert.Null(busy.NextDue); // a spinning loop is detected, not run forever
        Assert.False(busy.Exited);
    }

    [Fact]
    public void Variables_arithmetic_tests_loops_and_printf_behave_as_in_sh()
    {
        var (process, log) = Start("""
            NAME=world; export GREETING="hello ${NAME}"
            echo "$GREETING" '$NAME' ${MISSING:-default} ${#NAME}
            for f in a b c; do printf '%s-%02d\n' "$f" $((2 * 3 + 1)); done
            n=0; until [ $n -ge 3 ]; do n=$((n+1)); done; echo "n=$n"
            if [ -z "$EMPTY" ] && test "$NAME" = world; then echo yes; else echo no; fi
            [[ "v1.2.3" =~ ^v([0-9]+)\.([0-9]+) ]] && echo "major=$BASH_REMATCH_1 minor=$BASH_REMATCH_2"
            x=$(echo inner; echo more); echo "[$x]"
            false || echo "after false: $?"
            echo $HOSTNAME $(hostname)
            """);
        Assert.True(process.Exited);
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(["hello world $NAME default 5", "a-07", "b-07", "c-07", "n=3", "yes", "major=1 minor=2", "[inner", "more]", "after false: 1", "pod-a pod-a"],
            Texts(log));
    }

    [Fact]
    public void Files_are_written_read_and_removed_and_an_emptyDir_is_shared_between_containers()
    {
        var volume = new FileTree();
        var writerFiles = new ContainerFileSystem([("/data", volume)]);
        var readerFiles = new ContainerFileSystem([("/shared", volume)]);
        Start("mkdir -p /data/out; echo one > /data/out/f.txt; echo two >> /data/out/f.txt; touch /tmp/private", writerFiles);
        var (_, log) = Start("cat /shared/out/f.txt; cat /tmp/private; wc -l < /shared/out/f.txt; rm /shared/nope; rm -f /shared/nope; echo rc=$?",
            readerFiles);
        Assert.Equal(["one", "two", "cat: can't open '/tmp/private': No such file or directory", "2",
            "rm: can't remove '/shared/nope': No such file or directory", "rc=0"], Texts(log));
    }

    [Fact]
    public void An_exec_probe_runs_against_the_files_the_program_has_written_so_far()
    {
        var (process, _) = Start("touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600");
        Assert.Equal(0, process.Exec(["cat", "/tmp/healthy"], TimeSpan.FromSeconds(1), T0.AddSeconds(5)).ExitCode);
        process.Advance(T0.AddSeconds(31));
        var failed = process.Exec(["cat", "/tmp/healthy"], TimeSpan.FromSeconds(1), T0.AddSeconds(31));
        Assert.Equal(1, failed.ExitCode);
        Assert.Equal("cat: can't open '/tmp/healthy': No such file or directory\n", failed.Output);
        Assert.True(process.Exec(["sh", "-c", "sleep 5"], TimeSpan.FromSeconds(1), T0).TimedOut);
    }

    [Fact]
    public void Background_jobs_run_beside_the_script_and_wait_joins_them()
    {
        var (process, log) = Start("(sleep 3; echo job) & echo main; wait; echo done");
        process.Advance(T0.AddSeconds(5));
        Assert.Equal(["main", "job", "done"], Texts(log));
        Assert.Equal(T0.AddSeconds(3), process.ExitedAt);
    }

    [Fact]
    public void A_serving_image_prints_its_start_up_lines_and_listens_on_its_ports()
    {
        var nginx = new CatalogImage(ImageBehaviour.Serve, null, 0, 0, true, 0, 1, null)
        {
            Logs = ["/docker-entrypoint.sh: Configuration complete; ready for start up", "stderr: {time} [notice] 1#1: start worker processes"],
            Ports = [80],
            HttpPaths = ["/"],
        };
        var (process, log) = Start("", image: nginx, argv: []);
        Assert.Equal([("/docker-entrypoint.sh: Configuration complete; ready for start up", false), ("2026/11/22 12:00:00 [notice] 1#1: start worker processes", true)],
            log.Lines.Select(l => (l.Text, l.Stderr)));
        Assert.True(process.Ports.ContainsKey(80));
        Assert.Equal(200, process.HttpStatus("/"));
        Assert.Equal(404, process.HttpStatus("/healthz"));
        Assert.Null(process.NextDue);
    }

    [Fact]
    public void A_syntax_error_ends_the_shell_with_status_2_and_a_message()
    {
        var (process, log) = Start("if true; then echo x");
        Assert.True(process.Exited);
        Assert.Equal(2, process.ExitCode);
        Assert.StartsWith("sh: syntax error", Texts(log)[0]);
    }

    [Fact]
    public void A_program_we_cannot_see_runs_a_few_seconds_where_it_must_finish_and_until_stopped_elsewhere()
    {
        var (job, _) = Start("", argv: ["/app/migrate", "--all"], mustFinish: true);
        job.Advance(T0.AddMinutes(1));
        Assert.Equal(T0 + ProgramTimes.UnknownCommand, job.ExitedAt);
        Assert.Null(Start("", argv: ["/app/server"]).Process.NextDue);
    }
}
