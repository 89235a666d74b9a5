using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Logs;
using Xunit;

namespace Akka.KubeEmu.Tests.Node.Shell;

/// <summary>The bash features scripts of real manifests use, as a container's log shows them.</summary>
public sealed class BashFeatureSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly CatalogImage Image = new(ImageBehaviour.Run, ["bash"], 0, 0, false, 0, 1, null);

    internal static (ContainerProcess Process, ContainerLog Log) Run(string script, ContainerFileSystem? files = null, string hostname = "mysql-1")
    {
        var log = new ContainerLog(ContainerLogSettings.Default, "c1");
        var spec = new ProcessSpec(["bash", "-c", script], Image, new Dictionary<string, string> { ["HOSTNAME"] = hostname }, hostname, true, false, []);
        var process = new ContainerProcess(spec, files ?? ContainerFileSystem.Empty(), log, T0);
        process.Advance(T0.AddMinutes(1));
        return (process, log);
    }

    private static string[] Out(ContainerLog log) => log.Lines.Where(l => !l.Stderr).Select(l => l.Text).ToArray();

    private static string[] Err(ContainerLog log) => log.Lines.Where(l => l.Stderr).Select(l => l.Text).ToArray();

    [Fact]
    public void Double_brackets_match_a_regex_and_BASH_REMATCH_holds_the_groups_as_an_array()
    {
        var (_, log) = Run("""
            [[ $HOSTNAME =~ -([0-9]+)$ ]] || exit 1
            echo "${BASH_REMATCH[0]} ${BASH_REMATCH[1]} ${BASH_REMATCH}"
            [[ "mysql-bin.000003	154" =~ ^(.*?)[[:space:]]+(.*?)$ ]] && echo "file=${BASH_REMATCH[1]} pos=${BASH_REMATCH[2]}"
            [[ web =~ -([0-9]+)$ ]] || echo "no match"
            """);
        Assert.Equal(["-1 1 -1", "file=mysql-bin.000003 pos=154", "no match"], Out(log));
    }

    [Fact]
    public void Numeric_and_file_tests_chain_with_and_and_or()
    {
        var files = new ContainerFileSystem([("/data", new FileTree())]);
        var (process, log) = Run("""
            mkdir -p /data/mysql; touch /data/f
            [[ -d /data/mysql ]] && echo dir
            [[ -d /data/f ]] || echo "f is no dir"
            [[ -f /data/f && 3 -eq 3 ]] && echo "file and equal"
            [[ 2 -eq 3 ]] && echo never
            [[ -f /data/nope ]] && exit 0
            echo reached
            """, files);
        Assert.Equal(["dir", "f is no dir", "file and equal", "reached"], Out(log));
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public void Set_x_traces_each_command_to_stderr_as_bash_prints_it()
    {
        var files = new ContainerFileSystem([("/mnt/conf.d", new FileTree())]);
        var (_, log) = Run("""
            set -ex
            [[ `hostname` =~ -([0-9]+)$ ]] || exit 1
            ordinal=${BASH_REMATCH[1]}
            echo [mysqld] > /mnt/conf.d/server-id.cnf
            echo server-id=$((100 + $ordinal)) >> /mnt/conf.d/server-id.cnf
            echo "two words" ''
            """, files);
        Assert.Equal(["++ hostname", "+ [[ mysql-1 =~ -([0-9]+)$ ]]", "+ ordinal=1", "+ echo '[mysqld]'", "+ echo server-id=101",
            "+ echo 'two words' ''"], Err(log));
        Assert.Equal("[mysqld]\nserver-id=101\n", files.Read("/mnt/conf.d/server-id.cnf"));
    }

    [Fact]
    public void Set_e_ends_the_script_at_an_untested_failure_but_not_at_a_tested_one()
    {
        var (process, log) = Run("""
            set -e
            if false; then echo no; fi
            false || echo "tested"
            false && echo never
            while false; do :; done
            ! true
            echo "still here"
            cat /missing
            echo "not reached"
            """);
        Assert.Equal(["tested", "still here"], Out(log));
        Assert.True(process.Exited);
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("cat: can't open '/missing': No such file or directory", Err(log));
    }

    [Fact]
    public void Set_e_exits_when_the_last_command_of_an_and_list_fails()
    {
        var (process, log) = Run("set -e; true && false; echo no");
        Assert.Empty(Out(log));
        Assert.Equal(1, process.ExitCode);
    }

    [Fact]
    public void Dollar_less_than_reads_a_file_and_fails_on_a_missing_one()
    {
        var files = new ContainerFileSystem([("/d", new FileTree())]);
        var (_, log) = Run("""
            cd /d; echo "CHANGE MASTER TO x;" > info
            if [[ -f info && "x$(<info)" != "x" ]]; then echo "[$(<info)]"; fi
            v="$(< missing)"; echo "rc=$? v=[$v]"
            """, files);
        Assert.Equal(["[CHANGE MASTER TO x;]", "rc=1 v=[]"], Out(log));
        Assert.Equal(["bash: missing: No such file or directory"], Err(log));
    }

    [Fact]
    public void Double_bracket_and_or_short_circuit_and_each_evaluated_term_is_traced()
    {
        var files = new ContainerFileSystem([("/d", new FileTree())]);
        var (_, log) = Run("""
            set -x
            cd /d
            printf 'mysql-bin.000003\t154\n' > binlog
            [[ -f missing && "x$(<missing)" != "x" ]] || echo skipped
            [[ `cat binlog` =~ ^(.*?)[[:space:]]+(.*?)$ ]] && echo "${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
            """, files);
        Assert.Equal(["skipped", "mysql-bin.000003/154"], Out(log));
        Assert.Equal(["+ cd /d", "+ printf 'mysql-bin.000003\\t154\\n'", "+ [[ -f missing ]]", "+ echo skipped", "++ cat binlog",
            "+ [[ mysql-bin.000003\t154 =~ ^(.*?)[[:space:]]+(.*?)$ ]]", "+ echo mysql-bin.000003/154"], Err(log));
    }

    [Fact]
    public void Here_documents_feed_stdin_expanded_or_as_written()
    {
        var (_, log) = Run("""
            name=world
            cat <<EOF
            hello $name
            sum=$((1 + 2)) 'quotes stay'
            EOF
            cat <<'EOF'
            hello $name
            EOF
            cat <<-END
            	tab stripped
            	END
            echo after
            """);
        Assert.Equal(["hello world", "sum=3 'quotes stay'", "hello $name", "tab stripped", "after"], Out(log));
    }

    [Fact]
    public void Sed_substitutes_with_basic_and_extended_regular_expressions()
    {
        var files = new ContainerFileSystem([("/d", new FileTree())]);
        var (_, log) = Run("""
            printf 'CHANGE MASTER TO A=1;\nsecond;\n' > /d/in
            cat /d/in | sed -E 's/;$//g'
            echo "a-b-c" | sed 's/-/+/'
            echo "a-b-c" | sed 's/-/+/g'
            echo "key=value" | sed -E 's/^([a-z]+)=(.*)$/\2:\1/'
            echo "key=value" | sed 's/\([a-z]*\)=/[\1] /'
            echo "x y" | sed -e 's/x/1/' -e 's/y/2/'
            printf 'a\nb\nc\n' | sed '/b/d'
            echo "path/to" | sed 's|/|::|'
            """, files);
        Assert.Equal(["CHANGE MASTER TO A=1", "second", "a+b-c", "a+b+c", "value:key", "[key] value", "1 2", "a", "c", "path::to"], Out(log));
    }

    [Fact]
    public void Exec_replaces_the_shell_so_nothing_after_it_runs()
    {
        var (process, log) = Run("echo before; exec echo replaced; echo after");
        Assert.Equal(["before", "replaced"], Out(log));
        Assert.True(process.Exited);
    }
}
