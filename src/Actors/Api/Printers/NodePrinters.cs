using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>pkg/printers/internalversion for node.k8s.io: `kubectl get runtimeclasses`.</summary>
public static class NodePrinters
{
    // The column's description is looked up under a key ObjectMeta's docs do not have: it is empty.
    public static readonly Printer RuntimeClass = new(
        [Column.NameColumn, new("Handler", ""), Column.Age],
        (o, now) => [KubeObject.Name(o), KubeObject.String(o, "handler") ?? "", CorePrinters.Age(o, now)]);
}
