using System.Globalization;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Registry;

/// <summary>
/// The DaemonSet strategy's templateGeneration (pkg/registry/apps/daemonset): the internal
/// spec.templateGeneration appears in apps/v1 as the annotation
/// <c>deprecated.daemonset.template.generation</c>. It starts at 1 (or what the creator gave, if
/// more), only the server changes it afterwards, and it goes up by one whenever the pod template
/// changes. The controller copies it onto its pods as the <c>pod-template-generation</c> label.
/// </summary>
public static class DaemonSetStrategy
{
    public const string TemplateGenerationAnnotation = "deprecated.daemonset.template.generation";

    public static void PrepareForCreate(JsonObject obj)
    {
        var given = TemplateGeneration(obj) ?? 0;
        SetTemplateGeneration(obj, Math.Max(given, 1));
    }

    public static void PrepareForUpdate(JsonObject obj, JsonObject old)
    {
        var generation = TemplateGeneration(old) ?? 0;
        if (!JsonNode.DeepEquals(KubeObject.At(obj, "spec.template"), KubeObject.At(old, "spec.template"))) generation++;
        SetTemplateGeneration(obj, generation);
    }

    private static long? TemplateGeneration(JsonObject obj) =>
        KubeObject.At(obj, "metadata.annotations") is JsonObject annotations
        && KubeObject.ScalarText(annotations[TemplateGenerationAnnotation]) is { } text
        && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var generation)
            ? generation
            : null;

    private static void SetTemplateGeneration(JsonObject obj, long generation)
    {
        var annotations = KubeObject.EnsureObject(KubeObject.Metadata(obj), "annotations");
        annotations[TemplateGenerationAnnotation] = generation.ToString(CultureInfo.InvariantCulture);
    }
}
