using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.Admission;

/// <summary>
/// The emulator stores admission webhook configurations but never calls their webhooks (there is
/// no ValidatingAdmissionWebhook / MutatingAdmissionWebhook plugin): every write of one says so in
/// a Warning header, so that nobody believes a policy is enforced when it is not.
/// </summary>
public static class WebhookConfigurationWarning
{
    public static IReadOnlyList<string> OnWrite(ResourceType type, JsonObject obj)
    {
        if (type != ResourceCatalog.ValidatingWebhookConfigurations && type != ResourceCatalog.MutatingWebhookConfigurations) return [];
        return [$"kubeemu does not call admission webhooks: the webhooks of {type.Kind} \"{KubeObject.Name(obj)}\" are stored but never called"];
    }
}
