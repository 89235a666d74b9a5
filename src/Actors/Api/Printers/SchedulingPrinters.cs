using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Schema;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>pkg/printers/internalversion for scheduling.k8s.io: `kubectl get priorityclasses`.</summary>
public static class SchedulingPrinters
{
    public static readonly Printer PriorityClass = new(
        [Column.NameColumn, new("Value", Doc(nameof(V1PriorityClass.Value)), Type: "integer"),
         new("Global-Default", Doc(nameof(V1PriorityClass.GlobalDefault)), Type: "boolean"), Column.Age,
         new("PreemptionPolicy", Doc(nameof(V1PriorityClass.PreemptionPolicy)))],
        (o, now) =>
        [
            KubeObject.Name(o), Admission.PriorityAdmission.Value(o), Admission.PriorityAdmission.IsGlobalDefault(o),
            CorePrinters.Age(o, now), KubeObject.String(o, "preemptionPolicy") ?? "<none>",
        ]);

    private static string Doc(string property) =>
        typeof(V1PriorityClass).GetProperty(property) is { } p ? XmlDocs.Property(p) ?? "" : "";
}
