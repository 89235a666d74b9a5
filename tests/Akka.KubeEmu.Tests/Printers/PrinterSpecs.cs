using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Api.Resources;
using Xunit;

namespace Akka.KubeEmu.Tests.Printers;

public sealed class PrinterSpecs
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-22T12:10:00Z");

    private static IReadOnlyList<string?> Row(ResourceType type, string json)
    {
        var table = TableConvertor.ToTable(type, [JsonNode.Parse(json)!.AsObject()], Now);
        return table["rows"]![0]!["cells"]!.AsArray().Select(c => c?.ToString()).ToArray();
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(150, "2m30s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 600, "3h10m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(20 * 86400, "20d")]
    public void Ages_read_like_kubectl(int seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Pod_columns_are_the_real_ones()
    {
        var table = TableConvertor.ToTable(ResourceCatalog.Pods, [], Now);
        var columns = table["columnDefinitions"]!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["priority"]!.GetValue<int>())).ToArray();
        Assert.Equal([("Name", 0), ("Ready", 0), ("Status", 0), ("Restarts", 0), ("Age", 0), ("IP", 1), ("Node", 1), ("Nominated Node", 1), ("Readiness Gates", 1)], columns);
    }

    [Theory]
    // kube-dns on a kubeadm cluster: each port with every address, as formatEndpoints lists them.
    [InlineData("""[{"addresses":[{"ip":"10.244.1.2"},{"ip":"10.244.3.2"}],"ports":[{"name":"dns","port":53},{"name":"dns-tcp","port":53},{"name":"metrics","port":9153}]}]""",
        "10.244.1.2:53,10.244.3.2:53,10.244.1.2:53 + 3 more...")]
    [InlineData("""[{"addresses":[{"ip":"10.244.1.2"}],"ports":[{"port":80},{"port":443}]},{"addresses":[{"ip":"10.244.2.2"}],"ports":[{"port":8080}]}]""",
        "10.244.1.2:80,10.244.1.2:443,10.244.2.2:8080")]
    [InlineData("""[{"addresses":[{"ip":"10.244.1.2"},{"ip":"10.244.2.2"}]}]""", "10.244.1.2,10.244.2.2")]
    [InlineData("""[]""", "<none>")]
    public void Endpoints_list_each_port_with_every_address(string subsets, string expected)
    {
        var cells = Row(ResourceCatalog.Endpoints, $$$"""{"metadata":{"name":"kube-dns","creationTimestamp":"2026-11-22T12:00:00Z"},"subsets":{{{subsets}}}}""");
        Assert.Equal(["kube-dns", expected, "10m"], cells);
    }

    [Fact]
    public void A_crash_looping_pod_shows_its_waiting_reason_and_when_it_last_restarted()
    {
        var cells = Row(ResourceCatalog.Pods, """
            {"metadata":{"name":"web","creationTimestamp":"2026-11-22T12:00:00Z"},"spec":{"containers":[{"name":"c"}],"nodeName":"node-1"},
             "status":{"phase":"Running","podIPs":[{"ip":"10.244.1.2"}],"containerStatuses":[{"name":"c","ready":false,"restartCount":3,
               "state":{"waiting":{"reason":"CrashLoopBackOff"}},"lastState":{"terminated":{"exitCode":1,"finishedAt":"2026-11-22T12:09:30Z"}}}]}}
            """);
        Assert.Equal(["web", "0/1", "CrashLoopBackOff", "3 (30s ago)", "10m", "10.244.1.2", "node-1", "<none>", "<none>"], cells);
    }

    [Theory]
    [InlineData("""{"phase":"Pending","initContainerStatuses":[{"name":"a","state":{"terminated":{"exitCode":0}}},{"name":"b","state":{"running":{}}}]}""", "Init:1/2")]
    [InlineData("""{"phase":"Pending","initContainerStatuses":[{"name":"a","state":{"waiting":{"reason":"CrashLoopBackOff"}}},{"name":"b","state":{"waiting":{"reason":"PodInitializing"}}}]}""", "Init:CrashLoopBackOff")]
    [InlineData("""{"phase":"Succeeded","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}""", "Completed")]
    [InlineData("""{"phase":"Failed","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":137,"reason":"OOMKilled"}}}]}""", "OOMKilled")]
    [InlineData("""{"phase":"Failed","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":2}}}]}""", "ExitCode:2")]
    [InlineData("""{"phase":"Pending","containerStatuses":[{"name":"c","state":{"waiting":{"reason":"ContainerCreating"}}}]}""", "ContainerCreating")]
    [InlineData("""{"phase":"Pending"}""", "Pending")]
    public void Pod_status_is_the_reason_a_person_needs(string status, string expected)
    {
        var cells = Row(ResourceCatalog.Pods, $$$"""
            {"metadata":{"name":"p","creationTimestamp":"2026-11-22T12:00:00Z"},
             "spec":{"initContainers":[{"name":"a"},{"name":"b"}],"containers":[{"name":"c"}]},"status":{{{status}}}}
            """);
        Assert.Equal(expected, cells[2]);
    }

    [Fact]
    public void A_running_pod_being_deleted_is_Terminating()
    {
        var cells = Row(ResourceCatalog.Pods, """
            {"metadata":{"name":"p","creationTimestamp":"2026-11-22T12:00:00Z","deletionTimestamp":"2026-11-22T12:10:30Z"},
             "spec":{"containers":[{"name":"c"}]},"status":{"phase":"Running","containerStatuses":[{"name":"c","ready":true,"state":{"running":{}}}]}}
            """);
        Assert.Equal(["p", "1/1", "Terminating"], cells.Take(3));
    }

    [Theory]
    [InlineData("True", false, "Ready")]
    [InlineData("Unknown", false, "NotReady")]
    [InlineData("False", true, "NotReady,SchedulingDisabled")]
    public void Node_status_and_roles(string ready, bool cordoned, string expected)
    {
        var unschedulable = cordoned ? "true" : "false";
        var cells = Row(ResourceCatalog.Nodes, $$$$"""
            {"metadata":{"name":"n","creationTimestamp":"2026-11-22T12:00:00Z","labels":{"node-role.kubernetes.io/control-plane":""}},
             "spec":{"unschedulable":{{{{unschedulable}}}}},
             "status":{"conditions":[{"type":"Ready","status":"{{{{ready}}}}"}],"nodeInfo":{"kubeletVersion":"v1.32.4"}}}
            """);
        Assert.Equal(["n", expected, "control-plane", "10m", "v1.32.4"], cells.Take(5));
    }

    [Fact]
    public void Events_name_their_object_and_source()
    {
        var cells = Row(ResourceCatalog.Events, """
            {"metadata":{"name":"web.1","creationTimestamp":"2026-11-22T12:00:00Z"},"involvedObject":{"kind":"Pod","name":"web","fieldPath":"spec.containers{web}"},
             "reason":"Started","message":"Started container web","type":"Normal","source":{"component":"kubelet","host":"node-1"},
             "firstTimestamp":"2026-11-22T12:00:00Z","lastTimestamp":"2026-11-22T12:09:00Z","count":2}
            """);
        Assert.Equal(["60s", "Normal", "Started", "pod/web", "spec.containers{web}", "kubelet, node-1", "Started container web", "10m", "2", "web.1"], cells);
    }

    [Fact]
    public void Services_show_node_ports_and_a_deployment_its_readiness()
    {
        var svc = Row(ResourceCatalog.Services, """
            {"metadata":{"name":"tomcat-service","creationTimestamp":"2026-11-22T12:00:00Z"},
             "spec":{"type":"NodePort","clusterIP":"10.96.4.7","ports":[{"port":8080,"nodePort":31002,"protocol":"TCP"}],"selector":{"tier":"frontend"}}}
            """);
        Assert.Equal(["tomcat-service", "NodePort", "10.96.4.7", "<none>", "8080:31002/TCP", "10m", "tier=frontend"], svc);

        var deploy = Row(ResourceCatalog.Deployments, """
            {"metadata":{"name":"nginx","creationTimestamp":"2026-11-22T12:00:00Z"},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"nginx"}},"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.7.9"}]}}},
             "status":{"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}
            """);
        Assert.Equal(["nginx", "2/3", "3", "2", "10m", "nginx", "nginx:1.7.9", "app=nginx"], deploy);
    }

    [Fact]
    public void A_replication_controller_shows_desired_current_ready_and_its_selector_when_wide()
    {
        var columns = TableConvertor.ToTable(ResourceCatalog.ReplicationControllers, [], Now)["columnDefinitions"]!.AsArray()
            .Select(c => (c!["name"]!.GetValue<string>(), c["priority"]!.GetValue<int>())).ToArray();
        Assert.Equal([("Name", 0), ("Desired", 0), ("Current", 0), ("Ready", 0), ("Age", 0), ("Containers", 1), ("Images", 1), ("Selector", 1)], columns);

        var rc = Row(ResourceCatalog.ReplicationControllers, """
            {"metadata":{"name":"nginx","creationTimestamp":"2026-11-22T12:00:00Z"},
             "spec":{"replicas":3,"selector":{"tier":"web","app":"nginx"},"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.14.2"},{"name":"log","image":"busybox"}]}}},
             "status":{"replicas":2,"readyReplicas":1}}
            """);
        Assert.Equal(["nginx", "3", "2", "1", "10m", "nginx,log", "nginx:1.14.2,busybox", "app=nginx,tier=web"], rc);
    }

    [Fact]
    public void A_controller_revision_names_its_owner_as_kubectl_names_resources()
    {
        var row = Row(ResourceCatalog.ControllerRevisions, """
            {"metadata":{"name":"web-6596ffb49b","creationTimestamp":"2026-11-22T12:00:00Z",
              "ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"web","uid":"u","controller":true}]},
             "revision":2,"data":{}}
            """);
        Assert.Equal(["web-6596ffb49b", "statefulset.apps/web", "2", "10m"], row);
    }
}
