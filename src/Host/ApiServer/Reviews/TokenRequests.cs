using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Host.ApiServer.Authentication;

namespace Akka.KubeEmu.Host.ApiServer.Reviews;

/// <summary>
/// POST serviceaccounts/NAME/token (pkg/registry/core/serviceaccount/storage TokenREST, `kubectl
/// create token`): a signed token for an existing ServiceAccount, one hour unless asked otherwise
/// (at least ten minutes), for the API's audience unless others are named, optionally bound to a
/// Pod or Secret whose uid it records.
/// </summary>
public sealed class TokenRequests(StoreClient store, ECDsa key, TimeProvider time)
{
    private const long DefaultExpirationSeconds = 3600;
    private const long MinExpirationSeconds = 600;
    private const string Group = "authentication.k8s.io";

    public async Task<(JsonObject? Response, ApiStatus? Error)> Create(string ns, string name, JsonObject request)
    {
        var found = await store.Get(ResourceCatalog.ServiceAccounts.GroupResource, ns, name);
        if (!found.Ok) return (null, found.Error);
        var account = KubeObject.Parse(found.Raw!.Utf8);

        var spec = request["spec"] as JsonObject ?? new JsonObject();
        var expiration = KubeObject.Long(spec["expirationSeconds"]) ?? DefaultExpirationSeconds;
        var errors = new List<FieldError>();
        if (expiration < MinExpirationSeconds)
            errors.Add(FieldError.InvalidRaw("spec.expirationSeconds", expiration.ToString(), "may not specify a duration less than 10 minutes"));
        if (expiration > 1L << 32)
            errors.Add(FieldError.InvalidRaw("spec.expirationSeconds", expiration.ToString(), "may not specify a duration larger than 2^32 seconds"));
        if (errors.Count > 0) return (null, ApiStatus.Invalid(Group, "TokenRequest", name, errors));

        var audiences = (spec["audiences"] as JsonArray ?? []).Select(a => KubeObject.ScalarText(a) ?? "").Where(a => a.Length > 0).ToList();
        if (audiences.Count == 0) audiences.Add(TokenClaims.ServiceAccountIssuer);

        JsonObject? bound = null;
        if (spec["boundObjectRef"] is JsonObject reference)
        {
            var (target, refused) = await BoundObject(ns, reference);
            if (refused is not null) return (null, refused);
            bound = target;
        }

        var now = time.GetUtcNow();
        var claims = TokenClaims.ServiceAccount(ns, name, KubeObject.Uid(account) ?? "", audiences, now, expiration, Guid.NewGuid().ToString(), bound);
        var token = JsonWebToken.Sign(claims, key);
        var responseSpec = new JsonObject
        {
            ["audiences"] = new JsonArray(audiences.Select(a => (JsonNode)a).ToArray()),
            ["expirationSeconds"] = expiration,
            ["boundObjectRef"] = spec["boundObjectRef"]?.DeepClone(),
        };
        return (new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = $"{Group}/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = KubeObject.Timestamp(now) },
            ["spec"] = responseSpec,
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = KubeObject.Timestamp(now.AddSeconds(expiration)),
            },
        }, null);
    }

    // The object a token is bound to must exist (with the uid named, if any) in the account's namespace.
    private async Task<(JsonObject? Bound, ApiStatus? Error)> BoundObject(string ns, JsonObject reference)
    {
        var kind = KubeObject.String(reference, "kind") ?? "";
        var name = KubeObject.String(reference, "name") ?? "";
        var type = kind switch { "Pod" => ResourceCatalog.Pods, "Secret" => ResourceCatalog.Secrets, _ => null };
        if (type is null) return (null, ApiStatus.BadRequest($"cannot bind token to object of type {kind}"));
        var found = await store.Get(type.GroupResource, ns, name);
        if (!found.Ok) return (null, found.Error);
        var uid = KubeObject.Uid(KubeObject.Parse(found.Raw!.Utf8)) ?? "";
        if (KubeObject.String(reference, "uid") is { Length: > 0 } wanted && wanted != uid)
            return (null, ApiStatus.Conflict(type, name, $"the UID in the bound object reference ({wanted}) does not match the UID in record. The object might have been deleted and then recreated"));
        return (new JsonObject { ["kind"] = kind, ["name"] = name, ["uid"] = uid }, null);
    }
}
