using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

public sealed class ContainerProgramSpecs
{
    private static readonly ImageCatalog Catalog = ImageCatalog.Load(File.ReadAllText(NodeTestBase.RepoFile("config/images.yaml")));

    private static ProgramPlan Plan(string image, string[] command, string[]? args = null, bool mustFinish = false, bool stdin = false) =>
        ContainerProgram.Plan(command, args ?? [], Catalog.Describe(ImageReference.Parse(image, out _)!), mustFinish, stdin);

    private static ProgramPlan Sh(string script, bool mustFinish = false) => Plan("busybox", ["sh", "-c", script], mustFinish: mustFinish);

    [Fact]
    public void Sleep_runs_its_time_and_ignores_SIGTERM_as_PID_1()
    {
        var plan = Plan("busybox", ["sleep", "3600"]);
        Assert.Equal(TimeSpan.FromHours(1), plan.RunFor);
        Assert.Equal(0, plan.ExitCode);
        Assert.False(plan.HandlesSigterm);
        Assert.Equal(TimeSpan.FromSeconds(90), Plan("busybox", ["sleep", "1m", "30s"]).RunFor);
        Assert.True(Plan("busybox", ["sleep", "infinity"]).RunsForever);
        Assert.Equal(TimeSpan.FromDays(1), Plan("praqma/network-multitool", ["sleep"], ["86400"]).RunFor);
    }

    [Fact]
    public void Exit_codes_follow_the_script()
    {
        Assert.Equal(1, Sh("exit 1").ExitCode);
        Assert.Equal(3, Sh("echo start; sleep 5; exit 3").ExitCode);
        Assert.Equal(TimeSpan.FromSeconds(5), Sh("echo start; sleep 5; exit 3").RunFor);
        Assert.Equal(0, Plan("busybox", ["true"]).ExitCode);
        Assert.Equal(1, Plan("busybox", ["false"]).ExitCode);
        Assert.Equal(1, Sh("false && echo never").ExitCode);
        Assert.Equal(0, Sh("false || echo recovered").ExitCode);
        Assert.Equal(0, Sh("false; echo last").ExitCode);
        Assert.Equal(2, Sh("if true; then exit 2; else exit 3; fi").ExitCode);
        Assert.Equal(7, Sh("exit 263").ExitCode);
    }

    [Fact]
    public void Endless_loops_run_until_stopped()
    {
        Assert.True(Sh("while true; do cat /var/log/nginx/access.log; sleep 30; done").RunsForever);
        Assert.True(Sh("while :; do echo tick; done").RunsForever);
        Assert.True(Sh("tail -f /dev/null").RunsForever);
        Assert.True(Sh("echo ready > /tmp/ready; sleep infinity").RunsForever);
        Assert.False(Sh("while true; do echo x; sleep 1; done").HandlesSigterm);
        var trapped = Sh("trap 'exit 0' TERM; while true; do sleep 1; done");
        Assert.True(trapped.RunsForever);
        Assert.True(trapped.HandlesSigterm);
        Assert.Equal(0, trapped.SigtermExitCode);
    }

    [Fact]
    public void Finite_loops_and_waits_add_up()
    {
        Assert.Equal(TimeSpan.FromSeconds(6), Sh("for i in 1 2 3; do echo $i; sleep 2; done").RunFor);
        Assert.Equal(TimeSpan.FromSeconds(10), Sh("for i in $(seq 1 5); do sleep 2; done").RunFor);
        Assert.Equal(TimeSpan.Zero, Sh("until nslookup myservice; do echo waiting; sleep 2; done").RunFor);
        Assert.Equal(TimeSpan.FromSeconds(1), Sh("while true; do sleep 1; break; done").RunFor);
        Assert.Equal(TimeSpan.FromSeconds(4), Sh("sleep 4 & sleep 1; wait").RunFor);
        Assert.True(Sh("sleep infinity & wait").RunsForever);
    }

    [Fact]
    public void Unknown_programs_end_only_where_they_must()
    {
        Assert.True(Plan("myapp", ["/app/server", "--port", "8080"]).RunsForever);
        Assert.True(Plan("myapp", ["/app/server"]).HandlesSigterm);
        var job = Plan("perl", ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"], mustFinish: true);
        Assert.Equal(ProgramTimes.UnknownCommand, job.RunFor);
        Assert.Equal(0, job.ExitCode);
        Assert.True(Sh("python app.py", mustFinish: false).RunsForever);
    }

    [Fact]
    public void Image_defaults_apply_without_a_command()
    {
        var busybox = Plan("busybox", []);
        Assert.Equal(TimeSpan.Zero, busybox.RunFor);
        Assert.Equal(0, busybox.ExitCode);
        Assert.True(Plan("busybox", [], stdin: true).RunsForever);
        Assert.True(Plan("nginx", []).RunsForever);
        Assert.True(Plan("nginx", []).HandlesSigterm);
        Assert.Equal(143, Plan("tomcat", []).SigtermExitCode);
        Assert.Equal(2, Plan("curlimages/curl", []).ExitCode);
        Assert.True(Plan("some/unlisted-image", []).RunsForever);
    }

    [Fact]
    public void Syntax_errors_exit_2()
    {
        Assert.Equal(2, Sh("while true; do echo").ExitCode);
        Assert.Equal(TimeSpan.Zero, Sh("if then fi").RunFor);
    }

    [Fact]
    public void The_catalog_is_embedded_for_processes_without_a_config_directory()
    {
        var embedded = ImageCatalog.LoadDefault("/nonexistent/images.yaml");
        Assert.Equal(Catalog.Count, embedded.Count);
        Assert.Equal(2163966, embedded.Describe(ImageReference.Parse("busybox", out _)!).Size);
        // The "Debug Services" page's hostnames Deployment listens where its Service's targetPort points.
        Assert.Equal([9376], embedded.Describe(ImageReference.Parse("registry.k8s.io/serve_hostname", out _)!).Ports);
        Assert.Equal("redis-server *:6379", embedded.Describe(ImageReference.Parse("redis:7", out _)!).Process);
    }

    [Fact]
    public void Image_references_normalise_like_containerd()
    {
        Assert.Equal("docker.io/library/nginx:latest", ImageReference.Parse("nginx", out _)!.FullName);
        Assert.Equal("docker.io/traefik/whoami:latest", ImageReference.Parse("traefik/whoami", out _)!.FullName);
        Assert.Equal("registry.k8s.io/pause:3.9", ImageReference.Parse("registry.k8s.io/pause:3.9", out _)!.FullName);
        Assert.Equal("localhost:5000/app:v1", ImageReference.Parse("localhost:5000/app:v1", out _)!.FullName);
        Assert.Null(ImageReference.Parse("Nginx", out var error));
        Assert.Contains("must be lowercase", error);
        Assert.True(Catalog.CanPull(ImageReference.Parse("nginx:1.7.9", out _)!));
        Assert.False(Catalog.CanPull(ImageReference.Parse("nginx:1.91", out _)!));
        Assert.True(Catalog.CanPull(ImageReference.Parse("example.com/whatever:v3", out _)!));
        Assert.Equal("Always", ImageReference.DefaultPullPolicy("nginx"));
        Assert.Equal("IfNotPresent", ImageReference.DefaultPullPolicy("nginx:1.7.9"));
    }
}
