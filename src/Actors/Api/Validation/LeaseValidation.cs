using System.Globalization;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>ValidateLeaseSpec (pkg/apis/coordination/validation): a lease lasts a positive time and counts its transitions from 0.</summary>
public static class LeaseValidation
{
    public static void Validate(JsonObject lease, List<FieldError> errors)
    {
        if (KubeObject.Long(KubeObject.At(lease, "spec.leaseDurationSeconds")) is { } duration and <= 0)
            errors.Add(FieldError.InvalidRaw("spec.leaseDurationSeconds", duration.ToString(CultureInfo.InvariantCulture), "must be greater than 0"));
        if (KubeObject.Long(KubeObject.At(lease, "spec.leaseTransitions")) is { } transitions and < 0)
            errors.Add(FieldError.InvalidRaw("spec.leaseTransitions", transitions.ToString(CultureInfo.InvariantCulture), "must be greater than or equal to 0"));
    }
}
