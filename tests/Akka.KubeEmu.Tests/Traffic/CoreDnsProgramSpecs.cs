using System.Security.Cryptography;
using System.Text;
using Akka.KubeEmu.Actors.Controllers.Bootstrap;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Logs;
using Akka.KubeEmu.Actors.Node.Network.Http;
using Akka.KubeEmu.Tests.Node;
using Xunit;

namespace Akka.KubeEmu.Tests.Traffic;

/// <summary>The coredns image as kubeadm's Deployment runs it: its start-up lines, where it listens, what its probes' endpoints answer.</summary>
public sealed class CoreDnsProgramSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly ImageCatalog Catalog = ImageCatalog.Load(File.ReadAllText(NodeTestBase.RepoFile("config/images.yaml")));

    private static (ContainerProcess Process, ContainerLog Log) Run(string[] argv, string? corefile)
    {
        var image = Catalog.Describe(ImageReference.Parse(CoreDnsAddon.Image, out _)!);
        var config = new FileTree();
        if (corefile is not null) config.Write("Corefile", corefile, append: false);
        var log = new ContainerLog(ContainerLogSettings.Default, "coredns");
        var spec = new ProcessSpec(argv, image, new Dictionary<string, string>(), "coredns-6f6b679f8f-qx2cz", false, false, [53, 53, 9153, 8080, 8181])
        {
            ImageName = "coredns",
            ImageTag = "v1.11.3",
        };
        var process = new ContainerProcess(spec, new ContainerFileSystem([("/etc/coredns", config)]), log, T0);
        process.Advance(T0);
        return (process, log);
    }

    [Fact]
    public void With_kubeadms_corefile_it_prints_its_start_up_lines_and_listens_for_dns_health_ready_and_metrics()
    {
        // kubeadm's args go to the image's entrypoint, /coredns.
        var image = Catalog.Describe(ImageReference.Parse(CoreDnsAddon.Image, out _)!);
        var (process, log) = Run([.. image.CommandOr([]), "-conf", "/etc/coredns/Corefile"], CoreDnsAddon.Corefile);
        Assert.False(process.Exited);
        var sha = Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(CoreDnsAddon.Corefile)));
        Assert.Equal([".:53", "[INFO] plugin/reload: Running configuration SHA512 = " + sha, "CoreDNS-1.11.3", "linux/amd64, go1.21.11, a6338e9"],
            log.Lines.Select(l => l.Text));
        Assert.Equal(128, sha.Length);
        // DNS is not HTTP; the health, ready and prometheus plugins are.
        Assert.Equal([(53, false), (8080, true), (8181, true), (9153, true)], process.Ports.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
        Assert.Equal("/coredns -conf /etc/coredns/Corefile", string.Join(' ', process.Program));
        Assert.Equal("coredns", process.MainName);
    }

    [Fact]
    public void A_missing_conf_file_is_fatal_and_without_conf_it_serves_its_default_on_53()
    {
        var (missing, log) = Run(["/coredns", "-conf", "/etc/coredns/Corefile"], null);
        Assert.True(missing.Exited);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("2026/12/03 09:00:00 open /etc/coredns/Corefile: no such file or directory", Assert.Single(log.Lines).Text);

        // The image's entrypoint alone, without a Corefile in its working directory: whoami on .:53, no reload plugin.
        var (defaults, defaultLog) = Run(["/coredns"], null);
        Assert.False(defaults.Exited);
        Assert.Equal([".:53", "CoreDNS-1.11.3", "linux/amd64, go1.21.11, a6338e9"], defaultLog.Lines.Select(l => l.Text));
        Assert.Equal([53], defaults.Ports.Keys);
    }

    [Fact]
    public void Health_and_ready_answer_OK_and_metrics_the_build_info()
    {
        HttpResponse Get(string path, int port) => SimulatedHttpServer.Respond(new HttpExchange("registry.k8s.io/coredns/coredns", ["-conf", "/etc/coredns/Corefile"],
            200, null, ContainerFileSystem.Empty(), "coredns-6f6b679f8f-qx2cz", "10.244.1.2", port, "10.244.1.1:41234", T0), HttpRequestHead.Get(path));
        Assert.Equal((200, "OK"), (Get("/health", 8080).Status, Get("/health", 8080).BodyText));
        Assert.Equal((200, "OK"), (Get("/ready", 8181).Status, Get("/ready", 8181).BodyText));
        Assert.Contains("coredns_build_info{goversion=\"go1.21.11\",revision=\"a6338e9\",version=\"1.11.3\"} 1\n", Get("/metrics", 9153).BodyText);
        Assert.Equal((404, "404 page not found\n"), (Get("/", 8080).Status, Get("/", 8080).BodyText));
    }
}
