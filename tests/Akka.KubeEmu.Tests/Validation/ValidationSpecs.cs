using Akka.KubeEmu.Actors.Api.Objects;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Registry;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Schema;
using Akka.KubeEmu.Actors.Api.Validation;
using Akka.KubeEmu.Host.ApiServer.Http;
using Xunit;

namespace Akka.KubeEmu.Tests.Validation;

public sealed class ValidationSpecs
{
    public static IEnumerable<object[]> ExampleDocuments()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "config", "examples");
        foreach (var file in Directory.GetFiles(dir, "*.yaml").Order())
            foreach (var doc in File.ReadAllText(file).Split("\n---"))
                if (doc.Trim().Length > 0) yield return [Path.GetFileName(file), doc];
    }

    private static (ResourceType Type, JsonObject Obj) Load(string yaml)
    {
        var (obj, error) = YamlBody.ToJson(System.Text.Encoding.UTF8.GetBytes(yaml));
        Assert.Null(error);
        return (ResourceCatalog.FindByKind(obj!["apiVersion"]!.GetValue<string>(), obj["kind"]!.GetValue<string>())!, obj!);
    }

    [Theory]
    [MemberData(nameof(ExampleDocuments))]
    public void Documentation_manifests_decode_default_and_validate_without_a_single_error(string file, string yaml)
    {
        var (type, obj) = Load(yaml);
        var decode = SchemaCheck.Find(type.ModelType, obj);
        Assert.True(decode.DecodeError is null && decode.UnknownFields.Count == 0, $"{file}: {decode}");
        ObjectDefaulter.Apply(type, obj, new AdmissionSettings());
        RegistryStrategy.PrepareForCreate(type, obj);
        Assert.Empty(ObjectValidator.ValidateCreate(type, obj).Select(e => $"{file}: {e}"));
    }

    [Fact]
    public void Defaulted_pods_look_like_kubectl_get_pod_o_yaml_on_a_real_cluster()
    {
        var (type, pod) = Load("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    ports:\n    - containerPort: 80\n");
        ObjectDefaulter.Apply(type, pod, new AdmissionSettings(300));
        RegistryStrategy.PrepareForCreate(type, pod);
        var spec = pod["spec"]!;
        Assert.Equal(("Always", "ClusterFirst", "default-scheduler", (long?)30), (spec["restartPolicy"]!.GetValue<string>(), spec["dnsPolicy"]!.GetValue<string>(),
            spec["schedulerName"]!.GetValue<string>(), Akka.KubeEmu.Actors.Api.Objects.KubeObject.Long(spec["terminationGracePeriodSeconds"])));
        Assert.Equal("default", spec["serviceAccountName"]!.GetValue<string>());
        var c = spec["containers"]![0]!;
        Assert.Equal(("IfNotPresent", "/dev/termination-log", "File", "TCP"), (c["imagePullPolicy"]!.GetValue<string>(), c["terminationMessagePath"]!.GetValue<string>(),
            c["terminationMessagePolicy"]!.GetValue<string>(), c["ports"]![0]!["protocol"]!.GetValue<string>()));
        Assert.Equal(2, spec["tolerations"]!.AsArray().Count(t => Akka.KubeEmu.Actors.Api.Objects.KubeObject.Long(t!["tolerationSeconds"]) == 300));
        Assert.Equal(("Pending", "BestEffort"), (pod["status"]!["phase"]!.GetValue<string>(), pod["status"]!["qosClass"]!.GetValue<string>()));
    }

    [Fact]
    public void Invalid_pods_get_the_apiservers_messages()
    {
        var (type, pod) = Load("apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  restartPolicy: Sometimes\n  containers:\n  - name: c\n    resources:\n      requests: {cpu: '2'}\n      limits: {cpu: '1'}\n    volumeMounts:\n    - name: data\n      mountPath: /data\n  - name: c\n    image: nginx\n");
        var status = ApiStatus.Invalid(type, "Bad_Name", ObjectValidator.ValidateCreate(type, pod));
        Assert.Equal(422, status.Code);
        Assert.StartsWith("Pod \"Bad_Name\" is invalid: [metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", status.Message);
        Assert.Contains("spec.containers[0].image: Required value", status.Message);
        Assert.Contains("spec.containers[0].volumeMounts[0].name: Not found: \"data\"", status.Message);
        Assert.Contains("spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1", status.Message);
        Assert.Contains("spec.containers[1].name: Duplicate value: \"c\"", status.Message);
        Assert.Contains("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"", status.Message);
    }

    [Fact]
    public void A_deployment_whose_selector_misses_its_template_is_refused()
    {
        var (type, d) = Load("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: -1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers: [{name: c, image: nginx}]\n");
        var errors = ObjectValidator.ValidateCreate(type, d).Select(e => e.ToString()).ToArray();
        Assert.StartsWith("Deployment.apps \"d\" is invalid: [", ApiStatus.Invalid(type, "d", ObjectValidator.ValidateCreate(type, d)).Message);
        Assert.Contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0", errors);
        Assert.Contains("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`", errors);
    }

    [Fact]
    public void Service_names_are_DNS_1035_labels()
    {
        var (type, svc) = Load("apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\nspec:\n  internalTrafficPolicy: Cluster\n  ports:\n  - port: 80\n");
        Assert.Equal("metadata.name: Invalid value: \"1web\": " + NameValidation.Dns1035LabelMessage, Assert.Single(ObjectValidator.ValidateCreate(type, svc)).ToString());
    }

    [Fact]
    public void Pod_updates_may_only_change_images_and_a_few_more_fields()
    {
        var (type, old) = Load("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n");
        var image = old.DeepClone().AsObject();
        image["spec"]!["containers"]![0]!["image"] = "nginx:2";
        Assert.Empty(ObjectValidator.ValidateUpdate(type, image, old));
        var name = old.DeepClone().AsObject();
        name["spec"]!["containers"]![0]!["name"] = "d";
        Assert.StartsWith("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`",
            Assert.Single(ObjectValidator.ValidateUpdate(type, name, old)).ToString());
    }

    [Fact]
    public void The_decoder_reports_unknown_fields_with_their_paths_and_wrong_types_like_Go()
    {
        var (_, pod) = Load("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labelz: {}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    imagePullPolizy: Always\n");
        Assert.Equal(["metadata.labelz", "spec.containers[0].imagePullPolizy"], SchemaCheck.Find(typeof(k8s.Models.V1Pod), pod).UnknownFields);

        var (_, map) = Load("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    name: c\n");
        Assert.Equal("json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container",
            SchemaCheck.Find(typeof(k8s.Models.V1Pod), map).DecodeError);
        var (_, port) = Load("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: eighty\n");
        Assert.Equal("json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32",
            SchemaCheck.Find(typeof(k8s.Models.V1Pod), port).DecodeError);
    }
}
