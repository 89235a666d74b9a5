using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Validation;
using Akka.KubeEmu.Host.ApiServer.Http;
using Xunit;

namespace Akka.KubeEmu.Tests.Validation;

/// <summary>kube-apiserver v1.32 on ConfigMaps and Secrets: stringData, Secret types, immutable objects.</summary>
public sealed class ConfigDataValidationSpecs
{
    private static JsonObject Decoded(ResourceType type, string yaml)
    {
        var (obj, error) = YamlBody.ToJson(System.Text.Encoding.UTF8.GetBytes(yaml));
        Assert.Null(error);
        ObjectDefaulter.Apply(type, obj!, new AdmissionSettings());
        return obj!;
    }

    private static string? CreateError(ResourceType type, string yaml)
    {
        var errors = ObjectValidator.ValidateCreate(type, Decoded(type, yaml));
        return errors.Count == 0 ? null : ApiStatus.Invalid(type, "x", errors).Message;
    }

    private static string? UpdateError(ResourceType type, string before, string after)
    {
        var old = Decoded(type, before);
        old["metadata"]!["resourceVersion"] = "5";
        var obj = Decoded(type, after);
        obj["metadata"]!["resourceVersion"] = "5";
        var errors = ObjectValidator.ValidateUpdate(type, obj, old);
        return errors.Count == 0 ? null : ApiStatus.Invalid(type, "x", errors).Message;
    }

    [Fact]
    public void StringData_is_written_into_data_as_base64_over_the_same_key_and_is_not_kept()
    {
        var secret = Decoded(ResourceCatalog.Secrets, "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\ndata: {user: b2xk, keep: a2VlcA==}\nstringData: {user: admin, password: 's3cr3t'}\n");
        Assert.Null(secret["stringData"]);
        Assert.Equal("Opaque", KubeObject.String(secret, "type"));
        Assert.Equal("YWRtaW4=", KubeObject.ScalarAt(secret, "data.user"));
        Assert.Equal("czNjcjN0", KubeObject.ScalarAt(secret, "data.password"));
        Assert.Equal("a2VlcA==", KubeObject.ScalarAt(secret, "data.keep"));
    }

    [Fact]
    public void Secret_types_require_their_keys()
    {
        const string head = "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n";
        Assert.Equal("Secret \"x\" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]",
            CreateError(ResourceCatalog.Secrets, head + "type: kubernetes.io/tls\ndata: {}\n"));
        Assert.Null(CreateError(ResourceCatalog.Secrets, head + "type: kubernetes.io/tls\nstringData: {tls.crt: C, tls.key: K}\n"));
        Assert.Equal("Secret \"x\" is invalid: data[.dockerconfigjson]: Required value",
            CreateError(ResourceCatalog.Secrets, head + "type: kubernetes.io/dockerconfigjson\n"));
        Assert.Equal("Secret \"x\" is invalid: data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid character 'n' looking for beginning of value",
            CreateError(ResourceCatalog.Secrets, head + "type: kubernetes.io/dockerconfigjson\nstringData: {.dockerconfigjson: 'not json'}\n"));
        Assert.Equal("Secret \"x\" is invalid: [data[username]: Required value, data[password]: Required value]",
            CreateError(ResourceCatalog.Secrets, head + "type: kubernetes.io/basic-auth\n"));
        Assert.Equal("Secret \"x\" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value",
            CreateError(ResourceCatalog.Secrets, head + "type: kubernetes.io/service-account-token\n"));
        Assert.Null(CreateError(ResourceCatalog.Secrets, head + "type: example.com/custom\n"));
    }

    [Fact]
    public void An_immutable_configMap_or_secret_refuses_data_changes_and_being_made_mutable_and_a_secret_keeps_its_type()
    {
        const string cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
        Assert.Equal("ConfigMap \"x\" is invalid: data: Forbidden: field is immutable when `immutable` is set",
            UpdateError(ResourceCatalog.ConfigMaps, cm + "immutable: true\ndata: {a: '1'}\n", cm + "immutable: true\ndata: {a: '2'}\n"));
        Assert.Equal("ConfigMap \"x\" is invalid: immutable: Forbidden: field is immutable when `immutable` is set",
            UpdateError(ResourceCatalog.ConfigMaps, cm + "immutable: true\ndata: {a: '1'}\n", cm + "immutable: false\ndata: {a: '1'}\n"));
        Assert.Null(UpdateError(ResourceCatalog.ConfigMaps, cm + "data: {a: '1'}\n", cm + "immutable: true\ndata: {a: '2'}\n"));
        Assert.Null(UpdateError(ResourceCatalog.ConfigMaps, cm + "immutable: true\ndata: {a: '1'}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, labels: {b: c}}\nimmutable: true\ndata: {a: '1'}\n"));

        const string secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n";
        Assert.Equal("Secret \"x\" is invalid: data: Forbidden: field is immutable when `immutable` is set",
            UpdateError(ResourceCatalog.Secrets, secret + "immutable: true\ndata: {a: MQ==}\n", secret + "immutable: true\nstringData: {a: '2'}\n"));
        Assert.Equal("Secret \"x\" is invalid: type: Invalid value: \"example.com/other\": field is immutable",
            UpdateError(ResourceCatalog.Secrets, secret + "data: {a: MQ==}\n", secret + "type: example.com/other\ndata: {a: MQ==}\n"));
    }

    [Fact]
    public void A_configMap_key_in_data_and_binaryData_is_refused()
    {
        Assert.Equal("ConfigMap \"x\" is invalid: binaryData[a]: Invalid value: \"a\": duplicate of key present in data",
            CreateError(ResourceCatalog.ConfigMaps, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: '1'}\nbinaryData: {a: MQ==}\n"));
    }
}

/// <summary>What a pod reads from ConfigMaps, Secrets and the downward API, refused with kube-apiserver's messages.</summary>
public sealed class PodConfigSourceValidationSpecs
{
    private static string? PodError(string containerExtra, string volumes = "")
    {
        var yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox\n" + containerExtra + volumes;
        var (obj, error) = YamlBody.ToJson(System.Text.Encoding.UTF8.GetBytes(yaml));
        Assert.Null(error);
        var errors = ObjectValidator.ValidateCreate(ResourceCatalog.Pods, obj!);
        return errors.Count == 0 ? null : ApiStatus.Invalid(ResourceCatalog.Pods, "p", errors).Message;
    }

    [Fact]
    public void Env_sources_need_their_names_and_keys_and_known_field_paths()
    {
        Assert.Null(PodError("    env:\n    - {name: A, valueFrom: {configMapKeyRef: {name: cm, key: k}}}\n    - {name: B, valueFrom: {fieldRef: {fieldPath: \"metadata.labels['app']\"}}}\n    envFrom:\n    - {prefix: X_, secretRef: {name: s}}\n"));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Required value",
            PodError("    env:\n    - {name: A, valueFrom: {configMapKeyRef: {name: cm}}}\n"));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"metadata.labels\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\"",
            PodError("    env:\n    - {name: A, valueFrom: {fieldRef: {fieldPath: metadata.labels}}}\n"));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
            PodError("    env:\n    - {name: A, value: x, valueFrom: {secretKeyRef: {name: s, key: k}}}\n"));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].envFrom[0]: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`",
            PodError("    envFrom:\n    - {prefix: X_}\n"));
    }

    [Fact]
    public void ConfigMap_and_secret_volumes_need_a_name_relative_item_paths_and_modes_in_range()
    {
        const string mount = "    volumeMounts: [{name: v, mountPath: /v}]\n";
        Assert.Equal("Pod \"p\" is invalid: spec.volumes[0].configMap.name: Required value",
            PodError(mount, "  volumes:\n  - {name: v, configMap: {}}\n"));
        Assert.Equal("Pod \"p\" is invalid: [spec.volumes[0].secret.items[0].path: Invalid value: \"/etc/x\": must be a relative path, spec.volumes[0].secret.items[0].mode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive]",
            PodError(mount, "  volumes:\n  - {name: v, secret: {secretName: s, items: [{key: k, path: /etc/x, mode: 1000}]}}\n"));
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].volumeMounts[0].subPath: Invalid value: \"../x\": must not contain '..'",
            PodError("    volumeMounts: [{name: v, mountPath: /v, subPath: ../x}]\n", "  volumes:\n  - {name: v, configMap: {name: cm}}\n"));
    }
}
