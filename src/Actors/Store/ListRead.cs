using System.Globalization;
using Akka.KubeEmu.Actors.Api;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>The state a list reads: kube-apiserver's read consistencies.</summary>
public enum ListConsistency
{
    /// <summary>The current state (resourceVersion unset, "0", or a continue token of -1).</summary>
    Latest,

    /// <summary>The current state, once the store has reached the resourceVersion (504 if it does not within the wait).</summary>
    NotOlderThan,

    /// <summary>The state at exactly the resourceVersion, rebuilt from the change window (410 once it has left it).</summary>
    Exact,
}

/// <summary>
/// How one list request is read, decided from its options as kube-apiserver's storage layer
/// decides it (storage.ValidateListOptions and the watch cache's delegation in v1.32):
/// <list type="bullet">
/// <item>a continue token reads at the token's resourceVersion (every page of a list shows one
/// snapshot); a resourceVersion next to it is a 400;</item>
/// <item>resourceVersion unset is the latest state; "0" is any state, served as the watch cache
/// serves it: whole, the limit ignored;</item>
/// <item>resourceVersionMatch=NotOlderThan, or a resourceVersion without a limit, waits for the
/// store to reach it; Exact, or a resourceVersion with a limit (the legacy form), reads at it.</item>
/// </list>
/// </summary>
public sealed record ListRead(ListConsistency Consistency, long ResourceVersion, string? StartAfter, bool IgnoreLimit)
{
    public const string Exact = "Exact";
    public const string NotOlderThan = "NotOlderThan";

    public static (ListRead? Read, ApiStatus? Error) Decide(ListObjects l)
    {
        var rv = l.ResourceVersion ?? "";
        if (l.Continue is { Length: > 0 } c)
        {
            var (token, invalid) = ContinueToken.Decode(c);
            if (token is null) return (null, ApiStatus.BadRequest($"invalid continue token: {invalid}"));
            if (rv.Length > 0 && rv != "0")
                return (null, ApiStatus.BadRequest("specifying resource version is not allowed when using continue"));
            return token.ResourceVersion > 0
                ? (new ListRead(ListConsistency.Exact, token.ResourceVersion, token.StartAfter, false), null)
                : (new ListRead(ListConsistency.Latest, 0, token.StartAfter, false), null);
        }
        if (rv.Length == 0) return (new ListRead(ListConsistency.Latest, 0, null, false), null);
        if (!ulong.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed > long.MaxValue)
            return (null, ApiStatus.BadRequest($"resourceVersion: Invalid value: \"{rv}\": strconv.ParseUint: parsing \"{rv}\": invalid syntax"));
        var at = (long)parsed;
        return (l.ResourceVersionMatch ?? "") switch
        {
            Exact => (new ListRead(ListConsistency.Exact, at, null, false), null),
            NotOlderThan => (at == 0 ? Any : new ListRead(ListConsistency.NotOlderThan, at, null, false), null),
            "" when at == 0 => (Any, null),
            "" when l.Limit > 0 => (new ListRead(ListConsistency.Exact, at, null, false), null),
            "" => (new ListRead(ListConsistency.NotOlderThan, at, null, false), null),
            var other => (null, ApiStatus.BadRequest($"unknown ResourceVersionMatch value: {other}")),
        };
    }

    // resourceVersion "0": the watch cache answers with everything it has, without pages.
    private static readonly ListRead Any = new(ListConsistency.Latest, 0, null, true);
}
