using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Validation;
using Akka.KubeEmu.Host.ApiServer.Http;
using Xunit;

namespace Akka.KubeEmu.Tests.Validation;

/// <summary>kube-apiserver v1.32 on probes and lifecycle hooks: defaults, one handler each, thresholds, sleep, init containers.</summary>
public sealed class ContainerHandlerValidationSpecs
{
    private const string Head = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n";

    private static JsonObject Decoded(string yaml)
    {
        var (obj, error) = YamlBody.ToJson(System.Text.Encoding.UTF8.GetBytes(yaml));
        Assert.Null(error);
        ObjectDefaulter.Apply(ResourceCatalog.Pods, obj!, new AdmissionSettings());
        return obj!;
    }

    private static string? CreateError(string spec)
    {
        var errors = ObjectValidator.ValidateCreate(ResourceCatalog.Pods, Decoded(Head + spec));
        return errors.Count == 0 ? null : ApiStatus.Invalid(ResourceCatalog.Pods, "p", errors).Message;
    }

    private static string Container(string extra) => "  containers:\n  - name: c\n    image: nginx\n" + extra;

    [Fact]
    public void Probes_get_the_apiservers_defaults()
    {
        var pod = Decoded(Head + Container("    livenessProbe: {httpGet: {port: 80}}\n    readinessProbe: {exec: {command: [cat, /tmp/ok]}, periodSeconds: 0}\n    lifecycle: {preStop: {httpGet: {port: 80}}}\n"));
        var c = KubeObject.At(pod, "spec.containers") is JsonArray a ? a[0] : null;
        Assert.Equal("""{"httpGet":{"port":80,"path":"/","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}""",
            c!["livenessProbe"]!.ToJsonString());
        Assert.Equal("10", KubeObject.ScalarAt(c, "readinessProbe.periodSeconds"));
        Assert.Equal("/", KubeObject.ScalarAt(c, "lifecycle.preStop.httpGet.path"));
        Assert.Equal("HTTP", KubeObject.ScalarAt(c, "lifecycle.preStop.httpGet.scheme"));
    }

    [Fact]
    public void A_probe_or_hook_needs_exactly_one_handler()
    {
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].livenessProbe: Required value: must specify a handler type",
            CreateError(Container("    livenessProbe: {periodSeconds: 5}\n")));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
            CreateError(Container("    readinessProbe: {httpGet: {port: 80}, tcpSocket: {port: 80}}\n")));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].lifecycle.preStop: Required value: must specify a handler type",
            CreateError(Container("    lifecycle: {preStop: {}}\n")));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].lifecycle.postStart.exec.command: Required value",
            CreateError(Container("    lifecycle: {postStart: {exec: {command: []}}}\n")));
        Assert.Null(CreateError(Container("    lifecycle: {postStart: {exec: {command: [sh, -c, 'echo hi > /tmp/x']}}, preStop: {sleep: {seconds: 5}}}\n")));
    }

    [Fact]
    public void Thresholds_ports_and_sleeps_are_checked_with_the_apiservers_words()
    {
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].livenessProbe.failureThreshold: Invalid value: -1: must be greater than or equal to 0",
            CreateError(Container("    livenessProbe: {tcpSocket: {port: 80}, failureThreshold: -1}\n")));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
            CreateError(Container("    livenessProbe: {tcpSocket: {port: 80}, successThreshold: 2}\n")));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes",
            CreateError(Container("    readinessProbe: {tcpSocket: {port: 80}, terminationGracePeriodSeconds: 10}\n")));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].readinessProbe.httpGet.port: Invalid value: 70000: must be between 1 and 65535, inclusive",
            CreateError(Container("    readinessProbe: {httpGet: {port: 70000}}\n")));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].readinessProbe.httpGet.port: Invalid value: \"Web_Port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            CreateError(Container("    readinessProbe: {httpGet: {port: Web_Port}}\n")));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].readinessProbe.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\"",
            CreateError(Container("    readinessProbe: {httpGet: {port: 80, scheme: FTP}}\n")));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be greater than 0 and less than terminationGracePeriodSeconds (30)",
            CreateError(Container("    lifecycle: {preStop: {sleep: {seconds: 60}}}\n")));
    }

    [Fact]
    public void Init_containers_may_have_probes_and_hooks_only_as_sidecars()
    {
        const string init = "  initContainers:\n  - name: init\n    image: busybox\n";
        Assert.Equal("Pod \"p\" is invalid: spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
            CreateError(init + "    readinessProbe: {exec: {command: [true]}}\n" + Container("")));
        Assert.Null(CreateError(init + "    restartPolicy: Always\n    readinessProbe: {exec: {command: [true]}}\n    lifecycle: {preStop: {exec: {command: [sh, -c, 'sleep 1']}}}\n" + Container("")));
    }
}
