using System.Globalization;
using System.Text;
using Akka.KubeEmu.Actors.Api.Validation;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>
/// apimachinery's ValidateCreateOptions, ValidateUpdateOptions, ValidatePatchOptions and
/// ValidateDeleteOptions checks of the query parameters every write shares. The handlers run them
/// before reading the object, and a failure is a 422 naming the options kind:
/// <c>CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"foo"}: supported values: "All"</c>.
/// </summary>
public static class WriteOptionsValidation
{
    private const int FieldManagerMaxLength = 128;

    /// <summary>The options kind a verb's handler decodes its parameters into.</summary>
    public static string OptionsKind(string method) => method switch
    {
        "POST" => "CreateOptions",
        "PUT" => "UpdateOptions",
        "PATCH" => "PatchOptions",
        _ => "DeleteOptions",
    };

    /// <summary>Every value of dryRun (it is a list: the parameter may repeat) must be "All".</summary>
    public static FieldError? DryRun(IReadOnlyList<string> values) =>
        values.All(v => v == "All") ? null
            : new FieldError(FieldError.NotSupported, "dryRun", GoSyntax.StringSlice(values), "supported values: \"All\"", QuoteValue: false);

    public static FieldError? FieldValidation(string value) =>
        value is "" or "Ignore" or "Strict" or "Warn" ? null
            : FieldError.Unsupported("fieldValidation", value, ["", "Ignore", "Strict", "Warn"]);

    /// <summary>At most 128 bytes, and one error per character Go's unicode.IsPrint refuses, at its byte offset.</summary>
    public static IEnumerable<FieldError> FieldManager(string manager)
    {
        if (Encoding.UTF8.GetByteCount(manager) > FieldManagerMaxLength)
            yield return new FieldError(FieldError.TooLong, "fieldManager", null, $"may not be more than {FieldManagerMaxLength} bytes");
        var offset = 0;
        foreach (var rune in manager.EnumerateRunes())
        {
            if (!IsPrint(rune))
                yield return new FieldError(FieldError.InvalidValue, "fieldManager", GoSyntax.Quote(manager),
                    $"invalid character U+{rune.Value.ToString("X4", CultureInfo.InvariantCulture)} (at position {offset})", QuoteValue: false);
            offset += rune.Utf8SequenceLength;
        }
    }

    /// <summary>The errors of a create, update or patch's dryRun, fieldManager and fieldValidation, in apimachinery's order.</summary>
    public static IReadOnlyList<FieldError> Write(string fieldManager, IReadOnlyList<string> dryRun, string fieldValidation) =>
        [.. FieldManager(fieldManager), .. Some(DryRun(dryRun)), .. Some(FieldValidation(fieldValidation))];

    /// <summary>
    /// ValidatePatchOptions: first what the patch type demands (an apply names its manager, only an
    /// apply may force), then the checks every write shares, all in one answer.
    /// </summary>
    public static IReadOnlyList<FieldError> Patch(bool apply, bool forceGiven, string fieldManager, IReadOnlyList<string> dryRun, string fieldValidation)
    {
        FieldError? byType = apply
            ? fieldManager.Length == 0 ? FieldError.RequiredValue("fieldManager", "is required for apply patch") : null
            : forceGiven ? FieldError.ForbiddenField("force", "may not be specified for non-apply patch") : null;
        return [.. Some(byType), .. Write(fieldManager, dryRun, fieldValidation)];
    }

    private static IEnumerable<FieldError> Some(FieldError? error) => error is null ? [] : [error];

    // unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static bool IsPrint(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator => false,
        _ => true,
    };
}
