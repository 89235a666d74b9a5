using Akka.KubeEmu.Host.Chaos.Experiments;
using Xunit;

namespace Akka.KubeEmu.Tests.Host;

public sealed class ExperimentFileSpecs : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeemu-exp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void The_example_experiments_load()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "config", "experiments"), "*.yaml");
        Assert.True(files.Length >= 3);
        foreach (var file in files)
        {
            var experiment = ExperimentFile.Load(file);
            Assert.NotEmpty(experiment.Steps);
            Assert.Contains(experiment.Steps, s => s.IsFault);
            foreach (var apply in experiment.Setup.Where(s => s.Verb == "apply"))
                Assert.True(File.Exists(Path.Combine(experiment.Directory, apply.Argument)), $"{file}: {apply.Argument}");
        }
    }

    [Fact]
    public void Steps_invariants_and_durations_are_read_as_written()
    {
        var experiment = ExperimentFile.Load(Write("""
            name: demo
            repeat: 2
            sampleInterval: 250ms
            steps:
              - kill: node-with-most-pods app=nginx
              - wait: deployment/nginx -n web available >= 2
                within: 1m30s
              - hold: 2s
              - partition: node-1
              - heal: victim
              - restart: victim
            invariants:
              - applied-objects-kept
              - one-pod-per-ordinal statefulset/web
              - node/node-1 ready True
            """));
        Assert.Equal(("demo", 2, TimeSpan.FromMilliseconds(250)), (experiment.Name, experiment.Repeat, experiment.SampleInterval));
        Assert.Equal(["kill", "wait", "hold", "partition", "heal", "restart"], experiment.Steps.Select(s => s.Verb));
        Assert.Equal(TimeSpan.FromSeconds(90), experiment.Steps[1].Within);
        var wait = Condition.Parse(experiment.Steps[1].Argument);
        Assert.Equal(("deployment", "nginx", "web", "available", ">="), (wait.Kind, wait.Name, wait.Namespace, wait.Field, wait.Op));
        Assert.True(wait.Compare(3));
        Assert.False(wait.Compare(1));
        Assert.Equal([BuiltInInvariant.AppliedObjectsKept, BuiltInInvariant.OnePodPerOrdinal, null], experiment.Invariants.Select(i => i.BuiltIn));
        Assert.Equal("web", experiment.Invariants[1].Subject);
    }

    [Theory]
    [InlineData("steps:\n  - explode: node-1\n", "line 2: unknown step explode")]
    [InlineData("steps:\n  - wait: deployment/nginx happy 3\n", "deployment has no field happy")]
    [InlineData("steps:\n  - wait: node/node-1 ready 3\n", "a node condition is node/NAME ready True|False|Unknown|NotTrue")]
    [InlineData("steps:\n  - wait: pods running 3\n", "pods needs a label selector")]
    [InlineData("steps:\n  - wait: gadget/x ready 3\n", "unknown kind in gadget/x")]
    [InlineData("steps:\n  - kill: node-1\n    within: 5s\n", "within belongs to wait steps")]
    [InlineData("repeat: 0\nsteps:\n  - kill: node-1\n", "repeat must be a whole number of at least 1")]
    [InlineData("name: x\n", "no steps")]
    [InlineData("stepz:\n  - kill: node-1\n", "unknown key stepz")]
    [InlineData("steps: [\n", "line")]
    public void A_file_that_cannot_run_is_refused_naming_what_is_wrong(string yaml, string message)
    {
        var e = Assert.Throws<ExperimentException>(() => ExperimentFile.Load(Write(yaml)));
        Assert.Contains(message, e.Message);
    }
}
