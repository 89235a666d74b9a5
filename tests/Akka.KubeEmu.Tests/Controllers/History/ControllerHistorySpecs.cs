using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Controllers.History;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.History;

public sealed class ControllerHistorySpecs
{
    private static readonly V1StatefulSet Set = new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "set-uid" },
    };

    private static V1PodTemplateSpec Template(string image) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "nginx" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "nginx", Image = image }] },
    };

    [Fact]
    public void A_revision_holds_the_template_as_a_patch_that_replaces_it_and_gives_it_back()
    {
        var data = ControllerHistory.TemplatePatch(Template("nginx:1.9.1"));
        Assert.Equal("replace", data["spec"]!["template"]!["$patch"]!.GetValue<string>());

        var revision = ControllerHistory.New(Set, "apps/v1", "StatefulSet", Template("nginx:1.9.1").Metadata.Labels, data, 1, null);
        Assert.StartsWith("web-", revision.Metadata.Name);
        Assert.Equal(revision.Metadata.Name, "web-" + revision.Metadata.Labels[ControllerHistory.HashLabel]);
        Assert.Equal("nginx", revision.Metadata.Labels["app"]);
        Assert.Equal("set-uid", revision.Metadata.OwnerReferences.Single(o => o.Controller == true).Uid);
        Assert.Equal("nginx:1.9.1", ControllerHistory.TemplateOf(revision)!.Spec.Containers.Single().Image);
    }

    [Fact]
    public void The_hash_depends_on_the_data_and_the_collision_count_but_not_on_the_order_of_maps()
    {
        var a = JsonNode.Parse("""{"spec":{"template":{"metadata":{"labels":{"a":"1","b":"2"}},"$patch":"replace"}}}""")!;
        var b = JsonNode.Parse("""{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"b":"2","a":"1"}}}}}""")!;
        Assert.Equal(ControllerHistory.Hash(a, null), ControllerHistory.Hash(b, null));
        Assert.NotEqual(ControllerHistory.Hash(a, null), ControllerHistory.Hash(a, 1));
        Assert.NotEqual(ControllerHistory.Hash(a, null), ControllerHistory.Hash(ControllerHistory.TemplatePatch(Template("nginx")), null));
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]+$", ControllerHistory.Hash(a, null));
    }

    [Fact]
    public void Revisions_sort_by_number_and_the_next_number_follows_the_highest()
    {
        var r1 = new V1ControllerRevision { Metadata = new V1ObjectMeta { Name = "web-b" }, Revision = 3 };
        var r2 = new V1ControllerRevision { Metadata = new V1ObjectMeta { Name = "web-a" }, Revision = 1 };
        Assert.Equal(["web-a", "web-b"], ControllerHistory.Sorted([r1, r2]).Select(r => r.Metadata.Name));
        Assert.Equal(4, ControllerHistory.Next([r1, r2]));
        Assert.Equal(1, ControllerHistory.Next([]));
        Assert.Equal(new string('x', 223) + "-h", ControllerHistory.RevisionName(new string('x', 300), "h"));
    }
}
