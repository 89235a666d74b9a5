namespace Akka.KubeEmu.Actors.Api.Rbac;

/// <summary>An authorizer's answer: allowed or not, with the reason a denial appends to its message.</summary>
public sealed record AuthorizationDecision(bool Allowed, string Reason)
{
    public static readonly AuthorizationDecision Allow = new(true, "");
}

/// <summary>
/// kube-apiserver's authorizer chain for this emulator: members of system:masters are allowed
/// everything (the privileged-group authorizer), every other request is allowed when one RBAC
/// rule bound to the user allows it. Errors met while resolving rules (a binding to a missing
/// role) become the denial's reason, "RBAC: ...".
/// </summary>
public sealed class RbacAuthorizer(IRbacObjects objects)
{
    private readonly RuleResolver _resolver = new(objects);

    public RuleResolver Resolver => _resolver;

    public async Task<AuthorizationDecision> Authorize(AuthorizationAttributes request)
    {
        if (request.User.IsPrivileged) return AuthorizationDecision.Allow;
        var resolved = await _resolver.RulesFor(request.User, request.Namespace);
        if (resolved.Rules.Any(r => RuleMatching.Allows(r, request))) return AuthorizationDecision.Allow;
        var reason = resolved.Errors.Count switch
        {
            0 => "",
            1 => "RBAC: " + resolved.Errors[0],
            _ => "RBAC: [" + string.Join(", ", resolved.Errors) + "]",
        };
        return new AuthorizationDecision(false, reason);
    }
}
