using Akka.KubeEmu.Actors.Scheduling;
using k8s.Models;
using Xunit;
using static Akka.KubeEmu.Tests.Scheduling.SchedulingFixtures;

namespace Akka.KubeEmu.Tests.Scheduling;

public sealed class NominatorSpecs
{
    private static PodInfo WithStatus(string name, string? nominated)
    {
        var pod = Pod(name, priority: 100);
        pod.Status = new V1PodStatus { NominatedNodeName = nominated };
        return PodInfo.From(pod);
    }

    [Fact]
    public void A_nomination_is_kept_until_the_status_shows_it_and_dropped_when_the_status_clears_it()
    {
        var nominator = new Nominator();
        nominator.Nominate(WithStatus("p", null), "n1");
        // The informer's older view (no nomination yet) does not undo the scheduler's own.
        nominator.Update(WithStatus("p", null));
        Assert.Equal(["default/p"], nominator.On("n1")!.Select(p => p.Key));
        nominator.Update(WithStatus("p", "n1"));
        Assert.Single(nominator.On("n1")!);
        // Cleared by a later preemption (or anyone): gone.
        nominator.Update(WithStatus("p", null));
        Assert.Null(nominator.On("n1"));
    }

    [Fact]
    public void A_nomination_found_in_the_status_after_a_restart_is_followed()
    {
        var nominator = new Nominator();
        nominator.Update(WithStatus("p", "n2"));
        Assert.Single(nominator.On("n2")!);
        nominator.Remove("default/p");
        Assert.Null(nominator.On("n2"));
    }
}
