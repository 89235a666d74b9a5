using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// legacyValidateEvent's namespace rule for core/v1 Events: an old-style event (no eventTime) lives
/// in its involved object's namespace, one about a cluster-scoped object (no involvedObject.namespace)
/// in "default"; a new-style one (eventTime set) about a cluster-scoped object in "default" or
/// "kube-system". The new-style events' required reporting fields are not checked here.
/// </summary>
public static class EventValidation
{
    public static void Validate(JsonObject evt, List<FieldError> errors)
    {
        var ns = KubeObject.Namespace(evt);
        var involved = KubeObject.ScalarAt(evt, "involvedObject.namespace") ?? "";
        var newStyle = evt["eventTime"] is not null;
        var matches = newStyle
            ? involved.Length > 0 || ns is "default" or "kube-system"
            : involved.Length == 0 ? ns is "" or "default" : ns == involved;
        if (!matches) errors.Add(FieldError.Invalid("involvedObject.namespace", involved, "does not match event.namespace"));
    }
}
