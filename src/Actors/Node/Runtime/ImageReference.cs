namespace Akka.KubeEmu.Actors.Node.Runtime;

/// <summary>
/// An image name split as the container runtime does: "nginx" is docker.io/library/nginx:latest,
/// "traefik/whoami" is docker.io/traefik/whoami:latest.
/// </summary>
public sealed record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>The name the catalog uses: "nginx", "traefik/whoami", "registry.k8s.io/pause".</summary>
    public string CatalogName => Registry == "docker.io"
        ? Repository.StartsWith("library/", StringComparison.Ordinal) ? Repository["library/".Length..] : Repository
        : $"{Registry}/{Repository}";

    /// <summary>What containerStatuses[].image shows: "docker.io/library/nginx:latest".</summary>
    public string FullName => Digest is null ? $"{Registry}/{Repository}:{Tag ?? "latest"}" : $"{Registry}/{Repository}@{Digest}";

    public static ImageReference Parse(string image)
    {
        var rest = image.Trim();
        string? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
        }
        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
        }
        var slash = rest.IndexOf('/');
        var first = slash < 0 ? "" : rest[..slash];
        string registry, repository;
        if (slash >= 0 && (first.Contains('.') || first.Contains(':') || first == "localhost"))
        {
            registry = first;
            repository = rest[(slash + 1)..];
        }
        else
        {
            registry = "docker.io";
            repository = slash < 0 ? "library/" + rest : rest;
        }
        return new ImageReference(registry, repository, tag ?? (digest is null ? "latest" : null), digest);
    }
}
