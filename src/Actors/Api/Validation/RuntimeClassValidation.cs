using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>ValidateRuntimeClass and ValidateRuntimeClassUpdate (pkg/apis/node/validation): the handler is a DNS label and never changes.</summary>
public static class RuntimeClassValidation
{
    public static void Validate(JsonObject runtimeClass, List<FieldError> errors)
    {
        var handler = KubeObject.String(runtimeClass, "handler") ?? "";
        foreach (var message in NameValidation.Dns1123Label(handler)) errors.Add(FieldError.Invalid("handler", handler, message));
    }

    public static void ValidateUpdate(JsonObject runtimeClass, JsonObject old, List<FieldError> errors)
    {
        var handler = KubeObject.String(runtimeClass, "handler") ?? "";
        if (handler != (KubeObject.String(old, "handler") ?? "")) errors.Add(FieldError.Invalid("handler", handler, "field is immutable"));
    }
}
