using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Registry;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Validation;
using Akka.KubeEmu.Host.ApiServer.Http;
using Xunit;

namespace Akka.KubeEmu.Tests.Validation;

/// <summary>kube-apiserver v1.32's defaulting, template generation and 422 messages for DaemonSets.</summary>
public sealed class DaemonSetValidationSpecs
{
    private const string Head = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ds\nspec:\n  selector: {matchLabels: {app: agent}}\n";
    private const string Template = "  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      containers: [{name: c, image: nginx}]\n";

    private static JsonObject Created(string yaml)
    {
        var (obj, error) = YamlBody.ToJson(System.Text.Encoding.UTF8.GetBytes(yaml));
        Assert.Null(error);
        ObjectDefaulter.Apply(ResourceCatalog.DaemonSets, obj!, new AdmissionSettings());
        RegistryStrategy.PrepareForCreate(ResourceCatalog.DaemonSets, obj!);
        return obj!;
    }

    private static string? CreateError(string yaml)
    {
        var obj = Created(yaml);
        var errors = ObjectValidator.ValidateCreate(ResourceCatalog.DaemonSets, obj);
        return errors.Count == 0 ? null : ApiStatus.Invalid(ResourceCatalog.DaemonSets, "ds", errors).Message;
    }

    [Fact]
    public void Defaults_to_a_rolling_update_of_one_unavailable_node_no_surge_and_ten_revisions_and_starts_the_template_generation_at_one()
    {
        var ds = Created(Head + Template);
        Assert.Null(CreateError(Head + Template));
        Assert.Equal("RollingUpdate", KubeObject.ScalarAt(ds, "spec.updateStrategy.type"));
        Assert.Equal(("1", "0"), (KubeObject.ScalarAt(ds, "spec.updateStrategy.rollingUpdate.maxUnavailable"), KubeObject.ScalarAt(ds, "spec.updateStrategy.rollingUpdate.maxSurge")));
        Assert.Equal("10", KubeObject.ScalarAt(ds, "spec.revisionHistoryLimit"));
        Assert.Equal("1", KubeObject.ScalarText(KubeObject.At(ds, "metadata.annotations")!["deprecated.daemonset.template.generation"]));
    }

    [Fact]
    public void The_template_generation_goes_up_with_template_changes_only_and_cannot_be_set_by_an_update()
    {
        var old = Created(Head + Template);
        var relabelled = old.DeepClone().AsObject();
        KubeObject.EnsureObject(KubeObject.Metadata(relabelled), "labels")["team"] = "infra";
        KubeObject.Metadata(relabelled)["annotations"]!["deprecated.daemonset.template.generation"] = "7";
        RegistryStrategy.PrepareForUpdate(ResourceCatalog.DaemonSets, relabelled, old);
        Assert.Equal("1", KubeObject.ScalarText(KubeObject.At(relabelled, "metadata.annotations")!["deprecated.daemonset.template.generation"]));

        var newImage = old.DeepClone().AsObject();
        KubeObject.At(newImage, "spec.template.spec.containers")![0]!["image"] = "nginx:1.16.1";
        RegistryStrategy.PrepareForUpdate(ResourceCatalog.DaemonSets, newImage, old);
        Assert.Equal("2", KubeObject.ScalarText(KubeObject.At(newImage, "metadata.annotations")!["deprecated.daemonset.template.generation"]));
    }

    [Fact]
    public void Pods_that_do_not_restart_a_mismatched_selector_and_an_active_deadline_are_refused()
    {
        Assert.Equal("DaemonSet.apps \"ds\" is invalid: [spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`, "
                     + "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\", "
                     + "spec.template.spec.activeDeadlineSeconds: Invalid value: 30: activeDeadlineSeconds in DaemonSet is not Supported]",
            CreateError(Head + "  template:\n    metadata:\n      labels: {app: other}\n    spec:\n      restartPolicy: Never\n      activeDeadlineSeconds: 30\n      containers: [{name: c, image: nginx}]\n"));
    }

    [Fact]
    public void The_update_strategy_needs_exactly_one_of_max_unavailable_and_max_surge_and_a_known_type()
    {
        Assert.Equal("DaemonSet.apps \"ds\" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero",
            CreateError(Head + "  updateStrategy: {rollingUpdate: {maxSurge: 1}}\n" + Template));
        Assert.Equal("DaemonSet.apps \"ds\" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
            CreateError(Head + "  updateStrategy: {rollingUpdate: {maxUnavailable: 0}}\n" + Template));
        Assert.Null(CreateError(Head + "  updateStrategy: {rollingUpdate: {maxUnavailable: 0, maxSurge: 25%}}\n" + Template));
        Assert.Equal("DaemonSet.apps \"ds\" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"120%\"}: must not be greater than 100%",
            CreateError(Head + "  updateStrategy: {rollingUpdate: {maxUnavailable: 120%}}\n" + Template));
        Assert.Equal("DaemonSet.apps \"ds\" is invalid: spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:\"Recreate\", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: \"RollingUpdate\", \"OnDelete\"",
            CreateError(Head + "  updateStrategy: {type: Recreate}\n" + Template));
        Assert.Null(CreateError(Head + "  updateStrategy: {type: OnDelete}\n" + Template));
    }
}
