using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Host.OpenApi;
using Google.Protobuf;
using Xunit;

namespace Akka.KubeEmu.Tests.OpenApi;

public sealed class OpenApiDocumentsSpecs
{
    [Fact]
    public void V3_discovery_lists_every_group_version_and_patch_accepts_fieldValidation()
    {
        var discovery = JsonNode.Parse(OpenApiDocuments.V3Discovery.Body)!["paths"]!.AsObject();
        Assert.Equal(["api/v1", "apis/admissionregistration.k8s.io/v1", "apis/apiextensions.k8s.io/v1", "apis/apps/v1", "apis/authentication.k8s.io/v1",
            "apis/authorization.k8s.io/v1", "apis/autoscaling/v1", "apis/autoscaling/v2", "apis/batch/v1",
            "apis/coordination.k8s.io/v1", "apis/discovery.k8s.io/v1", "apis/events.k8s.io/v1", "apis/networking.k8s.io/v1", "apis/node.k8s.io/v1",
            "apis/policy/v1", "apis/rbac.authorization.k8s.io/v1", "apis/scheduling.k8s.io/v1", "apis/storage.k8s.io/v1"],
            discovery.Select(p => p.Key).Where(k => !k.Contains(".kubeemu.test", StringComparison.Ordinal)).Order());
        var url = discovery["apis/apps/v1"]!["serverRelativeURL"]!.GetValue<string>();
        Assert.StartsWith("/openapi/v3/apis/apps/v1?hash=", url);

        var doc = JsonNode.Parse(OpenApiDocuments.V3("apis/apps/v1")!.Body)!;
        var patch = doc["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.Equal("Deployment", patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation" && p["in"]!.GetValue<string>() == "query");
        var containers = doc["components"]!["schemas"]!["io.k8s.api.core.v1.PodSpec"]!["properties"]!["containers"]!;
        Assert.Equal("name", containers["x-kubernetes-patch-merge-key"]!.GetValue<string>());
        Assert.Equal("merge", containers["x-kubernetes-patch-strategy"]!.GetValue<string>());
    }

    [Fact]
    public void V2_protobuf_is_a_gnostic_document_whose_pod_definition_carries_its_group_version_kind()
    {
        var definitions = new Dictionary<string, byte[]>();
        var document = new CodedInputStream(OpenApiDocuments.V2Protobuf.Body);
        string? swagger = null;
        uint tag;
        while ((tag = document.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: swagger = document.ReadString(); break;
                case 9:
                    var defs = new CodedInputStream(document.ReadBytes().ToByteArray());
                    while (defs.ReadTag() != 0)
                    {
                        var named = new CodedInputStream(defs.ReadBytes().ToByteArray());
                        named.ReadTag();
                        var name = named.ReadString();
                        named.ReadTag();
                        definitions[name] = named.ReadBytes().ToByteArray();
                    }
                    break;
                default: document.SkipLastField(); break;
            }
        }
        Assert.Equal("2.0", swagger);
        Assert.Contains("io.k8s.api.apps.v1.Deployment", definitions.Keys);
        var pod = Encoding.UTF8.GetString(definitions["io.k8s.api.core.v1.Pod"]);
        Assert.Contains("x-kubernetes-group-version-kind", pod);
        Assert.Contains("kind: Pod", pod);
    }
}
