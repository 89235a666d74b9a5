using System.Text.Json.Nodes;
using Akka.Actor;

namespace Akka.KubeEmu.Actors.Controllers.RootCaPublisher;

/// <summary>
/// The root CA certificate publisher: every active namespace has the "kube-root-ca.crt"
/// ConfigMap holding the cluster CA, which pods mount to trust the API server.
/// </summary>
public sealed class RootCaCertPublisher(IActorRef store, string caPem) : NamespacedObjectEnsurer(store)
{
    public const string ConfigMapName = "kube-root-ca.crt";

    public static Props Props(IActorRef store, string caPem) => Akka.Actor.Props.Create(() => new RootCaCertPublisher(store, caPem));

    protected override string Resource => "configmaps";

    protected override JsonObject Desired(string ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = ConfigMapName,
            ["namespace"] = ns,
            ["annotations"] = new JsonObject { ["kubernetes.io/description"] = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters." },
        },
        ["data"] = new JsonObject { ["ca.crt"] = caPem },
    };
}
