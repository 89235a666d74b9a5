using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>pkg/printers/internalversion for admissionregistration.k8s.io: `kubectl get validatingwebhookconfigurations` (and mutating).</summary>
public static class AdmissionRegistrationPrinters
{
    public static readonly Printer WebhookConfiguration = new(
        [Column.NameColumn,
         new("Webhooks", "Webhooks indicates the number of webhooks registered in this configuration", Type: "integer"),
         Column.Age],
        (o, now) => [KubeObject.Name(o), (o["webhooks"] as JsonArray)?.Count ?? 0, CorePrinters.Age(o, now)]);
}
