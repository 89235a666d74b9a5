using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>pkg/printers/internalversion's printPodDisruptionBudget: `kubectl get pdb`.</summary>
public static class PolicyPrinters
{
    public static readonly Printer PodDisruptionBudget = new(
        [Column.NameColumn,
         new("Min Available", "The minimum number of pods that must be available."),
         new("Max Unavailable", "The maximum number of pods that may be unavailable."),
         new("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time.", Type: "integer"),
         Column.Age],
        (o, now) =>
        [
            KubeObject.Name(o),
            IntOrString(KubeObject.At(o, "spec.minAvailable")),
            IntOrString(KubeObject.At(o, "spec.maxUnavailable")),
            KubeObject.Long(KubeObject.At(o, "status.disruptionsAllowed")) ?? 0,
            CorePrinters.Age(o, now),
        ]);

    /// <summary>IntOrString.String(), or N/A when the field is not set.</summary>
    private static string IntOrString(JsonNode? value) => value is null ? "N/A" : KubeObject.ScalarText(value) ?? "N/A";
}
