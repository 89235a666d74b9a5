using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api;

/// <summary>One entry of <c>Status.details.causes</c>.</summary>
public sealed record StatusCause(string Type, string Message, string Field);

/// <summary><c>Status.details</c> of a failed request.</summary>
public sealed record StatusDetails(
    string? Name = null,
    string? Group = null,
    string? Kind = null,
    string? Uid = null,
    IReadOnlyList<StatusCause>? Causes = null,
    int? RetryAfterSeconds = null);

/// <summary>
/// A failed API request as kube-apiserver reports it: a <c>metav1.Status</c> with code,
/// reason and message. Factories reproduce the apiserver's wording (k8s.io/apimachinery/pkg/api/errors).
/// </summary>
public sealed record ApiStatus(int Code, string Reason, string Message, StatusDetails? Details = null)
{
    /// <summary><c>Status.metadata.continue</c>: the token an expired paged list may go on with, inconsistently.</summary>
    public string? Continue { get; init; }

    private static string Qualified(ResourceType type) => type.GroupResource;

    public static ApiStatus NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{Qualified(type)} \"{name}\" not found",
            new StatusDetails(name, NullIfEmpty(type.Group), type.Plural));

    public static ApiStatus NotFound(string message) => new(404, "NotFound", message);

    public static ApiStatus AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{Qualified(type)} \"{name}\" already exists",
            new StatusDetails(name, NullIfEmpty(type.Group), type.Plural));

    public static ApiStatus Conflict(ResourceType type, string name, string reason) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(type)} \"{name}\": {reason}",
            new StatusDetails(name, NullIfEmpty(type.Group), type.Plural));

    public const string ObjectModifiedReason =
        "the object has been modified; please apply your changes to the latest version and try again";

    public static ApiStatus Modified(ResourceType type, string name) => Conflict(type, name, ObjectModifiedReason);

    /// <summary>422 with the field errors, worded like <c>errors.NewInvalid</c>.</summary>
    public static ApiStatus Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors) =>
        Invalid(type.Group, type.Kind, name, errors);

    /// <summary>422 for a kind that is not a served resource of its own (DeleteOptions of meta.k8s.io, autoscaling/v1 Scale).</summary>
    public static ApiStatus Invalid(string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        // ErrorList.ToAggregate drops repeated messages (the causes keep them).
        var messages = errors.Select(e => e.ToString()).Distinct().ToArray();
        var text = messages.Length == 1 ? messages[0] : "[" + string.Join(", ", messages) + "]";
        // errors.NewInvalid names the GroupKind: "Pod", "Deployment.apps".
        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        return new ApiStatus(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {text}",
            new StatusDetails(name, NullIfEmpty(group), kind,
                Causes: errors.Select(e => new StatusCause(e.Type, e.Detail(), e.Field)).ToArray()));
    }

    public static ApiStatus BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiStatus Forbidden(ResourceType type, string name, string reason) =>
        new(403, "Forbidden", $"{Qualified(type)} \"{name}\" is forbidden: {reason}",
            new StatusDetails(name, NullIfEmpty(type.Group), type.Plural));

    public static ApiStatus Gone(string message) => new(410, "Expired", message);

    /// <summary>storage.NewTooLargeResourceVersionError: the store has not reached the resourceVersion asked for.</summary>
    public static ApiStatus TooLargeResourceVersion(long requested, long current) =>
        new(504, "Timeout", $"Timeout: Too large resource version: {requested}, current: {current}",
            new StatusDetails(Causes: [new StatusCause("ResourceVersionTooLarge", "Too large resource version", "")], RetryAfterSeconds: 1));

    /// <summary>A continue token whose snapshot has left the window (etcd compacted it): 410, with a token for the inconsistent remainder.</summary>
    public static ApiStatus ContinueExpired(string inconsistentContinue) =>
        Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, "
            + "or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an "
            + "inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
        with { Continue = inconsistentContinue };

    public static ApiStatus TooLarge(string message) => new(413, "RequestEntityTooLarge", message);

    public static ApiStatus MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiStatus Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    /// <summary>A create, update or delete body in a media type the API server does not decode.</summary>
    public static ApiStatus UnsupportedMediaType() =>
        new(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf");

    public static ApiStatus NotAcceptable() =>
        new(406, "NotAcceptable", "only the following media types are accepted: application/json, application/yaml");

    public static ApiStatus Timeout(string message) =>
        new(504, "Timeout", message, new StatusDetails(RetryAfterSeconds: 1));

    public static ApiStatus Unavailable(string message) =>
        new(503, "ServiceUnavailable", message, new StatusDetails(RetryAfterSeconds: 1));

    /// <summary>errors.NewTooManyRequests: slow down and try again.</summary>
    public static ApiStatus TooManyRequests(string message) =>
        new(429, "TooManyRequests", message, new StatusDetails(RetryAfterSeconds: 1));

    public static ApiStatus Internal(string message) =>
        new(500, "InternalError", $"Internal error occurred: {message}");

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
