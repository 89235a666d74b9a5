using System.Text;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Exec;
using Akka.KubeEmu.Actors.Node.Logs;
using Xunit;

namespace Akka.KubeEmu.Tests.Node.Exec;

/// <summary>A command exec'd into a running container: what kubectl exec shows, from the node's side.</summary>
public sealed class ExecSessionSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly CatalogImage Busybox = new(ImageBehaviour.Run, ["sh"], 0, 0, false, 0, 1, null);

    private static ContainerProcess Container(string script = "sleep infinity", ContainerFileSystem? files = null)
    {
        var spec = new ProcessSpec(["sh", "-c", script], Busybox,
            new Dictionary<string, string> { ["HOSTNAME"] = "web-0", ["GREETING"] = "hello" }, "web-0", false, false, []);
        var process = new ContainerProcess(spec, files ?? ContainerFileSystem.Empty(), new ContainerLog(ContainerLogSettings.Default, "c1"), T0);
        process.Advance(T0);
        return process;
    }

    private static ExecSession Exec(ContainerProcess process, string[] argv, bool stdin = false, bool tty = false, string image = "busybox")
    {
        var session = new ExecSession(process, argv, stdin, tty, image, "e1");
        session.Start();
        return session;
    }

    private static string Out(ExecSession session, int stream = 1) =>
        string.Concat(session.TakeOutput().Where(c => c.Stream == stream).Select(c => Encoding.UTF8.GetString(c.Data)));

    /// <summary>stdout and stderr of what the session wrote so far (taken once).</summary>
    private static (string Stdout, string Stderr) Streams(ExecSession session)
    {
        var chunks = session.TakeOutput();
        string Of(int stream) => string.Concat(chunks.Where(c => c.Stream == stream).Select(c => Encoding.UTF8.GetString(c.Data)));
        return (Of(1), Of(2));
    }

    [Fact]
    public void A_command_runs_at_once_with_the_containers_hostname_and_environment()
    {
        var session = Exec(Container(), ["sh", "-c", "hostname; echo $GREETING; echo oops >&2; exit 3"]);
        Assert.Equal(3, session.ExitCode);
        var output = session.TakeOutput();
        Assert.Equal("web-0\nhello\n", Encoding.UTF8.GetString(output.Single(c => c.Stream == 1).Data));
        Assert.Equal("oops\n", Encoding.UTF8.GetString(output.Single(c => c.Stream == 2).Data));
    }

    [Fact]
    public void Files_are_the_ones_the_containers_program_sees()
    {
        var process = Container("echo from-main > /tmp/main.txt; sleep infinity");
        Assert.Equal("from-main\n", Out(Exec(process, ["cat", "/tmp/main.txt"])));
        Assert.Equal(0, Exec(process, ["sh", "-c", "echo from-exec > /tmp/exec.txt"]).ExitCode);
        Assert.Equal("from-exec\n", process.Files.Read("/tmp/exec.txt"));
    }

    [Fact]
    public void An_emptyDir_written_by_exec_in_one_container_is_read_in_the_other()
    {
        var shared = new FileTree();
        var writer = Container(files: new ContainerFileSystem([("/shared", shared)]));
        var reader = Container(files: new ContainerFileSystem([("/data", shared)]));
        Exec(writer, ["sh", "-c", "echo across > /shared/x"]);
        Assert.Equal("across\n", Out(Exec(reader, ["cat", "/data/x"])));
    }

    [Fact]
    public void With_stdin_the_command_reads_everything_the_client_sent_once_it_is_closed()
    {
        var session = Exec(Container(), ["cat"], stdin: true);
        session.Input("line one\n"u8.ToArray());
        session.Input("line two\n"u8.ToArray());
        Assert.False(session.Ended);
        session.CloseInput();
        Assert.Equal(0, session.ExitCode);
        Assert.Equal("line one\nline two\n", Out(session));
    }

    [Fact]
    public void With_stdin_a_command_that_never_reads_it_runs_and_ends_at_once()
    {
        var session = Exec(Container(), ["sh", "-c", "echo hi"], stdin: true, tty: true);
        Assert.Equal(0, session.ExitCode);
        Assert.Equal("hi\r\n", Out(session));
    }

    [Fact]
    public void With_stdin_a_script_runs_up_to_its_first_reader_which_waits_for_the_client_to_close_it()
    {
        var session = Exec(Container(), ["sh", "-c", "echo start; grep b; echo end"], stdin: true);
        Assert.Equal("start\n", Out(session));
        Assert.False(session.Ended);
        session.Input("a\nb\nbc\n"u8.ToArray());
        session.CloseInput();
        Assert.Equal(0, session.ExitCode);
        Assert.Equal("b\nbc\nend\n", Out(session));
    }

    [Fact]
    public void An_interactive_shell_runs_each_line_as_it_arrives_and_keeps_its_variables()
    {
        var session = Exec(Container(), ["sh"], stdin: true);
        session.Input("X=41\necho $((X+1))\n"u8.ToArray());
        Assert.Equal("42\n", Out(session));
        Assert.False(session.Ended);
        session.Input("exit 7\n"u8.ToArray());
        Assert.Equal(7, session.ExitCode);
    }

    [Fact]
    public void With_a_terminal_the_shell_prompts_echoes_and_ends_lines_with_crlf()
    {
        var session = Exec(Container(), ["sh"], stdin: true, tty: true);
        Assert.Equal("/ # ", Out(session));
        session.Input("cd /tmp\r"u8.ToArray());
        Assert.Equal("cd /tmp\r\n/tmp # ", Out(session));
        session.Input("echo a; echo b >&2\r"u8.ToArray());
        Assert.Equal("echo a; echo b >&2\r\na\r\nb\r\n/tmp # ", Out(session)); // a terminal has no separate stderr
        session.Input("\u0004"u8.ToArray()); // Ctrl-D
        Assert.Equal(0, session.ExitCode);
    }

    [Fact]
    public void A_program_the_image_does_not_have_is_the_runtimes_error_not_an_exit_code()
    {
        var session = Exec(Container(), ["nosuch", "--flag"]);
        Assert.Null(session.ExitCode);
        Assert.Equal("error executing command in container: failed to exec in container: failed to start exec \"e1\": OCI runtime exec failed: " +
            "exec failed: unable to start container process: exec: \"nosuch\": executable file not found in $PATH: unknown", session.Error);
        Assert.True(session.Ended);
        Assert.Equal(0, Exec(Container(), ["nginx", "-v"], image: "nginx").ExitCode); // the image's own program is there
        Assert.Contains("exec: \"bash\": executable file not found", Exec(Container(), ["bash"], image: "busybox").Error);
        Assert.Equal(0, Exec(Container(), ["bash", "-c", "true"], image: "nginx").ExitCode);
    }

    [Fact]
    public void Inside_a_script_a_program_the_image_lacks_is_the_shells_not_found_with_127_and_one_it_has_succeeds()
    {
        var missing = Exec(Container(), ["sh", "-c", "some-tool --version; echo status=$?"]);
        Assert.Equal((0, ("status=127\n", "sh: some-tool: not found\n")), (missing.ExitCode, Streams(missing)));
        Assert.Equal(127, Exec(Container(), ["sh", "-c", "nosuch"]).ExitCode);
        var bash = Exec(Container(), ["bash", "-c", "nosuch"], image: "nginx");
        Assert.Equal((127, ("", "bash: nosuch: command not found\n")), (bash.ExitCode, Streams(bash)));
        // The image's own programs and the tools the images carry are there: they succeed quietly.
        Assert.Equal(0, Exec(Container(), ["sh", "-c", "nginx -t"], image: "nginx").ExitCode);
        Assert.Equal(0, Exec(Container(), ["sh", "-c", "awk '{print $1}' /dev/null"]).ExitCode);
        // An interactive shell says it too, and goes on.
        var shell = Exec(Container(), ["sh"], stdin: true);
        shell.Input(Encoding.UTF8.GetBytes("frobnicate\necho $?\nexit\n"));
        Assert.Equal(("127\n", "sh: frobnicate: not found\n"), Streams(shell));
    }

    [Fact]
    public void Sleeps_are_added_up_and_a_command_that_waits_forever_is_blocked()
    {
        var slow = Exec(Container(), ["sh", "-c", "sleep 2; echo done; sleep 1"]);
        Assert.Equal(TimeSpan.FromSeconds(3), slow.Slept);
        Assert.Equal(0, slow.ExitCode);
        var forever = Exec(Container(), ["sleep", "infinity"]);
        Assert.True(forever.Blocked);
        Assert.False(forever.Ended);
    }

    [Fact]
    public void Ps_lists_the_containers_program_as_pid_1_and_itself()
    {
        var output = Out(Exec(Container("sleep 3600"), ["ps", "aux"]));
        Assert.Equal("PID   USER     TIME  COMMAND\n    1 root      0:00 sh -c sleep 3600\n    8 root      0:00 ps aux\n", output);
    }

    [Fact]
    public void Kill_of_pid_1_stops_a_main_program_that_handles_SIGTERM_and_kill_9_any()
    {
        // The "Configure a Pod to Use a Volume for Storage" page kills redis-server from an exec'd shell.
        var redisImage = new CatalogImage(ImageBehaviour.Serve, null, 0, 0, true, 0, 1, null) { Ports = [6379], Process = "redis-server" };
        var redis = new ContainerProcess(new ProcessSpec([], redisImage, new Dictionary<string, string>(), "redis", false, false, []),
            ContainerFileSystem.Empty(), new ContainerLog(ContainerLogSettings.Default, "r"), T0);
        redis.Advance(T0);
        // The server has had no step since it started; the exec comes a minute later (the pod worker catches the clock up).
        redis.CatchUp(T0.AddMinutes(1));
        Assert.Equal("PID   USER     TIME  COMMAND\n    1 root      0:00 redis-server\n    8 root      0:00 ps aux\n", Out(Exec(redis, ["ps", "aux"], image: "redis")));
        Assert.Equal(0, Exec(redis, ["sh", "-c", "echo Hello > /tmp/test-file; kill 1"], image: "redis").ExitCode);
        Assert.Equal((true, T0.AddMinutes(1)), (redis.Exited, redis.ExitedAt));

        // A shell as PID 1 has no handler for TERM: it goes on; KILL always works; other PIDs are gone.
        var shell = Container("sleep 3600");
        Assert.Equal(0, Exec(shell, ["sh", "-c", "kill 1"]).ExitCode);
        Assert.False(shell.Exited);
        var missing = Exec(shell, ["sh", "-c", "kill 4242"]);
        Assert.Equal((1, ("", "sh: can't kill pid 4242: No such process\n")), (missing.ExitCode, Streams(missing)));
        Assert.Equal(0, Exec(shell, ["sh", "-c", "kill -9 1"]).ExitCode);
        Assert.Equal((true, 137), (shell.Exited, shell.ExitCode));
    }

    [Fact]
    public void With_shareProcessNamespace_ps_lists_the_pause_process_and_every_containers_processes()
    {
        ContainerProcess[] pod = [];
        ContainerProcess Member(string script) =>
            new(new ProcessSpec(["sh", "-c", script], Busybox, new Dictionary<string, string>(), "web-0", false, false, []) { SharedProcessNamespace = () => pod },
                ContainerFileSystem.Empty(), new ContainerLog(ContainerLogSettings.Default, "c"), T0);
        pod = [Member("nginx -g 'daemon off;'"), Member("sleep 3600")];
        foreach (var p in pod) p.Advance(T0);
        Assert.Equal(
            "PID   USER     TIME  COMMAND\n" +
            "    1 65535     0:00 /pause\n" +
            "    7 root      0:00 sh -c nginx -g 'daemon off;'\n" +
            "   13 root      0:00 sh -c sleep 3600\n" +
            "   19 root      0:00 ps aux\n",
            Out(Exec(pod[1], ["ps", "aux"])));
    }

    [Fact]
    public void Attaching_to_a_program_that_reads_no_terminal_keeps_the_stream_open_and_silent()
    {
        var session = new ExecSession(Container(), ["sh", "-c", "sleep infinity"], stdin: true, tty: true, "busybox", "e1");
        session.Attach();
        Assert.True(session.Blocked);
        Assert.Empty(session.TakeOutput());
    }
}
