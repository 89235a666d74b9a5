using Akka.KubeEmu.Actors.Node.Runtime;
using Xunit;

namespace Akka.KubeEmu.Tests.Runtime;

public sealed class ContainerProgramsSpecs
{
    private static readonly ImageCatalog Catalog = ImageCatalog.LoadDefault();

    private static ContainerProgram For(string image, string[] command, string[]? args = null, bool finish = false) =>
        ContainerPrograms.For(command, args ?? [], Catalog.Describe(ImageReference.Parse(image)), finish);

    [Fact]
    public void Commands_of_the_vocabulary_run_as_written()
    {
        Assert.Equal(new ContainerProgram(TimeSpan.FromSeconds(3600), 0, false), For("busybox", ["sleep", "3600"]));
        Assert.Equal(new ContainerProgram(TimeSpan.FromSeconds(10), 1, false), For("busybox", ["sh", "-c", "sleep 10; exit 1"]));
        Assert.Equal(1, For("busybox", ["false"]).ExitCode);
        Assert.True(For("busybox", ["sh", "-c", "while true; do cat /var/log/nginx/access.log; sleep 30; done"]).RunsForever);
        Assert.Equal(TimeSpan.Zero, For("busybox", ["echo", "hello"]).RunFor);
    }

    [Fact]
    public void Images_without_a_command_do_what_the_real_ones_do()
    {
        Assert.Equal(ContainerProgram.Server, For("nginx", []));
        Assert.Equal(ContainerProgram.Exits(0), For("busybox", []));
        Assert.True(For("traefik/whoami", []).RunsForever);
    }

    [Fact]
    public void Unknown_commands_finish_where_something_waits_for_them_and_run_on_elsewhere()
    {
        Assert.Equal(ContainerProgram.Exits(0, ContainerProgram.ShortRun), For("perl", ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"], finish: true));
        Assert.True(For("myapp", ["/app/server", "--port", "80"]).RunsForever);
    }

    [Fact]
    public void The_catalog_refuses_unlisted_tags_of_listed_images_and_accepts_unlisted_images()
    {
        Assert.False(Catalog.CanPull(ImageReference.Parse("nginx:1.91")));
        Assert.True(Catalog.CanPull(ImageReference.Parse("nginx:1.14.2")));
        Assert.True(Catalog.CanPull(ImageReference.Parse("example.com/team/app:v7")));
        Assert.Equal("docker.io/library/nginx:latest", ImageReference.Parse("nginx").FullName);
        Assert.Equal("docker.io/traefik/whoami:latest", ImageReference.Parse("traefik/whoami").FullName);
    }
}
