using System.Text.Json.Nodes;
using Akka.Actor;

namespace Akka.KubeEmu.Actors.Controllers.ServiceAccount;

/// <summary>The ServiceAccounts controller: every active namespace has a "default" ServiceAccount.</summary>
public sealed class ServiceAccountsController(IActorRef store) : NamespacedObjectEnsurer(store)
{
    public static Props Props(IActorRef store) => Akka.Actor.Props.Create(() => new ServiceAccountsController(store));

    protected override string Resource => "serviceaccounts";

    protected override JsonObject Desired(string ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ServiceAccount",
        ["metadata"] = new JsonObject { ["name"] = "default", ["namespace"] = ns },
    };
}
