using Akka.KubeEmu.Actors.Node;
using Akka.KubeEmu.Actors.Node.ConfigObjects;
using Akka.KubeEmu.Actors.Node.Pods;
using Xunit;
using static Akka.KubeEmu.Tests.Node.ConfigObjects.ConfigObjectFixtures;

namespace Akka.KubeEmu.Tests.Node.ConfigObjects;

/// <summary>makeEnvironmentVariables: what a container's env holds, or the kubelet's CreateContainerConfigError message.</summary>
public sealed class EnvironmentResolutionSpecs
{
    private static ContainerEnvironment.Result Resolve(PodModel pod, ConfigObjectCache cache, int container = 0) =>
        ContainerEnvironment.Resolve(pod, pod.Containers[container], "10.244.1.7", "172.18.0.3", [], cache, NodeCapacity.Default);

    private static readonly ConfigObjectCache Objects = Cache(
        (ConfigKind.ConfigMap, "app", """{"data":{"LOG_LEVEL":"debug","color":"blue"},"binaryData":{"blob":"AAE="}}"""),
        (ConfigKind.Secret, "db", $$$"""{"data":{"password":"{{{B64("s3cr3t")}}}","user":"{{{B64("admin")}}}"}}"""));

    [Fact]
    public void ConfigMap_and_Secret_keys_become_variables_with_secrets_decoded()
    {
        var pod = Pod("""
            {"metadata":{"name":"p","namespace":"default","uid":"u"},"spec":{"containers":[{"name":"c","image":"busybox","env":[
              {"name":"LEVEL","valueFrom":{"configMapKeyRef":{"name":"app","key":"LOG_LEVEL"}}},
              {"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}]}]}}
            """);
        var env = Resolve(pod, Objects).Env!;
        Assert.Equal("debug", env["LEVEL"]);
        Assert.Equal("s3cr3t", env["DB_PASSWORD"]);
    }

    [Fact]
    public void A_missing_ConfigMap_a_missing_key_and_a_missing_Secret_give_the_kubelets_messages()
    {
        var cache = Listed(Cache((ConfigKind.ConfigMap, "app", """{"data":{"a":"1"}}""")), (ConfigKind.ConfigMap, "nope"), (ConfigKind.Secret, "gone"));
        static PodModel With(string valueFrom) => Pod($$$"""
            {"metadata":{"name":"p","namespace":"default","uid":"u"},"spec":{"containers":[{"name":"c","image":"busybox","env":[
              {"name":"X","valueFrom":{{{valueFrom}}}}]}]}}
            """);
        Assert.Equal("configmap \"nope\" not found", Resolve(With("""{"configMapKeyRef":{"name":"nope","key":"a"}}"""), cache).Error);
        Assert.Equal("couldn't find key k in ConfigMap default/app", Resolve(With("""{"configMapKeyRef":{"name":"app","key":"k"}}"""), cache).Error);
        Assert.Equal("secret \"gone\" not found", Resolve(With("""{"secretKeyRef":{"name":"gone","key":"a"}}"""), cache).Error);
        // optional: the variable is simply not set
        var optional = Resolve(With("""{"configMapKeyRef":{"name":"app","key":"k","optional":true}}"""), cache).Env!;
        Assert.False(optional.ContainsKey("X"));
        Assert.False(Resolve(With("""{"configMapKeyRef":{"name":"nope","key":"a","optional":true}}"""), cache).Env!.ContainsKey("X"));
    }

    [Fact]
    public void An_object_the_node_has_not_listed_yet_makes_the_start_wait_without_an_error()
    {
        var pod = Pod("""
            {"metadata":{"name":"p","namespace":"default","uid":"u"},"spec":{"containers":[{"name":"c","image":"busybox",
              "envFrom":[{"configMapRef":{"name":"later"}}]}]}}
            """);
        var result = Resolve(pod, new ConfigObjectCache());
        Assert.True(result.Waiting);
        Assert.Null(result.Error);
    }

    [Fact]
    public void EnvFrom_takes_every_data_key_with_its_prefix_and_env_entries_override_and_expand_them()
    {
        var pod = Pod("""
            {"metadata":{"name":"p","namespace":"default","uid":"u"},"spec":{"containers":[{"name":"c","image":"busybox",
              "envFrom":[{"configMapRef":{"name":"app"},"prefix":"APP_"},{"secretRef":{"name":"db"}},{"configMapRef":{"name":"absent","optional":true}}],
              "env":[{"name":"APP_color","value":"red"},{"name":"URL","value":"$(user):$(password)@$(KUBERNETES_SERVICE_HOST) $(UNKNOWN) $$(user)"}]}]}}
            """);
        var env = Resolve(pod, Listed(Objects, (ConfigKind.ConfigMap, "absent"))).Env!;
        Assert.Equal("debug", env["APP_LOG_LEVEL"]);
        Assert.Equal("red", env["APP_color"]);
        Assert.False(env.ContainsKey("APP_blob")); // binaryData never becomes a variable
        Assert.Equal("admin", env["user"]);
        Assert.Equal("admin:s3cr3t@10.96.0.1 $(UNKNOWN) $(user)", env["URL"]);
    }

    [Fact]
    public void FieldRefs_and_resourceFieldRefs_resolve_as_the_downward_API_does()
    {
        var pod = Pod("""
            {"metadata":{"name":"web-0","namespace":"default","uid":"u-1","labels":{"app":"web"},"annotations":{"team":"blue"}},
             "spec":{"nodeName":"node-2","serviceAccountName":"builder","containers":[{"name":"c","image":"busybox",
              "resources":{"limits":{"cpu":"250m","memory":"128Mi"},"requests":{"memory":"64Mi"}},
              "env":[
               {"name":"APP","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},
               {"name":"TEAM","valueFrom":{"fieldRef":{"fieldPath":"metadata.annotations['team']"}}},
               {"name":"NONE","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['absent']"}}},
               {"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}},
               {"name":"SA","valueFrom":{"fieldRef":{"fieldPath":"spec.serviceAccountName"}}},
               {"name":"IPS","valueFrom":{"fieldRef":{"fieldPath":"status.podIPs"}}},
               {"name":"CPU","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu"}}},
               {"name":"CPU_M","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu","divisor":"1m"}}},
               {"name":"MEM_MI","valueFrom":{"resourceFieldRef":{"resource":"requests.memory","divisor":"1Mi"}}},
               {"name":"EPHEMERAL","valueFrom":{"resourceFieldRef":{"resource":"limits.ephemeral-storage","divisor":"1Gi"}}}]}]}}
            """);
        var env = Resolve(pod, new ConfigObjectCache()).Env!;
        Assert.Equal("web", env["APP"]);
        Assert.Equal("blue", env["TEAM"]);
        Assert.Equal("", env["NONE"]);
        Assert.Equal("node-2", env["NODE"]);
        Assert.Equal("builder", env["SA"]);
        Assert.Equal("10.244.1.7", env["IPS"]);
        Assert.Equal("1", env["CPU"]); // 250m rounded up to whole cores
        Assert.Equal("250", env["CPU_M"]);
        Assert.Equal("64", env["MEM_MI"]);
        Assert.Equal("100", env["EPHEMERAL"]); // no limit: the node's allocatable
    }
}
