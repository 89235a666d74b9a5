using Akka.Actor;
using Akka.KubeEmu.Actors.Controllers.Framework;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.ServiceAccount;

/// <summary>The ServiceAccounts controller: every active namespace has a "default" ServiceAccount.</summary>
public sealed class ServiceAccountsController(ControllerContext context)
    : NamespacedObjectEnsurer<V1ServiceAccount>(context, "service-account-controller", "default", workers: 1)
{
    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new ServiceAccountsController(context));

    protected override V1ServiceAccount Desired(string ns) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = new V1ObjectMeta { Name = ObjectName, NamespaceProperty = ns },
    };
}
