using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>ValidateControllerRevision: data is mandatory and the revision not negative.</summary>
public static class ControllerRevisionValidation
{
    public static void Validate(JsonObject revision, List<FieldError> errors)
    {
        if (revision["data"] is null) errors.Add(FieldError.RequiredValue("data", "data is mandatory"));
        if (KubeObject.Long(revision["revision"]) is { } number && number < 0)
            errors.Add(FieldError.InvalidRaw("revision", number.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be greater than or equal to 0"));
    }
}
