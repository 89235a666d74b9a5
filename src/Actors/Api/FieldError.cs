namespace Akka.KubeEmu.Actors.Api;

/// <summary>
/// A validation error on one field, worded like k8s.io/apimachinery/pkg/util/validation/field.Error:
/// <c>spec.containers[0].name: Required value</c>.
/// </summary>
/// <param name="QuoteValue">Strings are printed quoted; numbers and maps (Go's %#v) are not.</param>
public sealed record FieldError(string Type, string Field, string? BadValue, string Message, bool QuoteValue = true)
{
    public const string Required = "FieldValueRequired";
    public const string InvalidValue = "FieldValueInvalid";
    public const string NotSupported = "FieldValueNotSupported";
    public const string Duplicate = "FieldValueDuplicate";
    public const string Forbidden = "FieldValueForbidden";
    public const string TooLong = "FieldValueTooLong";
    public const string TypeInvalid = "FieldValueTypeInvalid";
    public const string NotFound = "FieldValueNotFound";
    public const string TooMany = "FieldValueTooMany";

    public static FieldError RequiredValue(string field, string message = "") => new(Required, field, null, message);

    public static FieldError Invalid(string field, string? value, string message) => new(InvalidValue, field, value, message);

    /// <summary>An invalid value that is not a string (a number, a map), printed as Go prints it.</summary>
    public static FieldError InvalidRaw(string field, string value, string message) => new(InvalidValue, field, value, message, QuoteValue: false);

    public static FieldError Unsupported(string field, string? value, IEnumerable<string> allowed) =>
        new(NotSupported, field, value, "supported values: " + string.Join(", ", allowed.Select(a => $"\"{a}\"")));

    public static FieldError DuplicateValue(string field, string? value) => new(Duplicate, field, value, "");

    public static FieldError NotFoundValue(string field, string? value) => new(NotFound, field, value, "");

    public static FieldError ForbiddenField(string field, string message) => new(Forbidden, field, null, message);

    private string TypeText => Type switch
    {
        Required => "Required value",
        InvalidValue => "Invalid value",
        NotSupported => "Unsupported value",
        Duplicate => "Duplicate value",
        Forbidden => "Forbidden",
        TooLong => "Too long",
        TypeInvalid => "Invalid value",
        NotFound => "Not found",
        TooMany => "Too many",
        _ => Type,
    };

    /// <summary>The cause message without the field, as in <c>Status.details.causes[].message</c>.</summary>
    public string Detail()
    {
        var head = BadValue is null || Type is Required or Forbidden ? TypeText
            : QuoteValue ? $"{TypeText}: \"{BadValue}\"" : $"{TypeText}: {BadValue}";
        return Message.Length == 0 ? head : $"{head}: {Message}";
    }

    public override string ToString() => $"{Field}: {Detail()}";
}
