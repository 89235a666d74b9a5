namespace Akka.KubeEmu.Actors.Node.ContainerRuntime;

/// <summary>
/// A container image reference normalised the way containerd reports it: "nginx" is
/// docker.io/library/nginx:latest, "traefik/whoami" is docker.io/traefik/whoami:latest.
/// </summary>
public sealed record ImageReference(string Domain, string Path, string? Tag, string? Digest)
{
    public const string DockerHub = "docker.io";

    /// <summary>domain/path without tag or digest: "docker.io/library/nginx".</summary>
    public string Repository => $"{Domain}/{Path}";

    /// <summary>The name a person writes: "nginx", "traefik/whoami", "registry.k8s.io/pause".</summary>
    public string FamiliarRepository =>
        Domain != DockerHub ? Repository : Path.StartsWith("library/", StringComparison.Ordinal) ? Path["library/".Length..] : Path;

    /// <summary>What containerd reports as the container's image: "docker.io/library/nginx:latest".</summary>
    public string FullName => Digest is not null ? $"{Repository}@{Digest}" : $"{Repository}:{Tag ?? "latest"}";

    /// <summary>Parses <paramref name="image"/>; null with a reason when it is not a valid reference.</summary>
    public static ImageReference? Parse(string image, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(image) || image != image.Trim())
        {
            error = "invalid reference format";
            return null;
        }
        string? digest = null;
        var rest = image;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.Length != 71)
            {
                error = "invalid reference format";
                return null;
            }
        }
        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (tag.Length == 0 || tag.Length > 128 || !tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                error = "invalid reference format";
                return null;
            }
        }
        var firstSlash = rest.IndexOf('/');
        string domain, path;
        var first = firstSlash < 0 ? rest : rest[..firstSlash];
        if (firstSlash > 0 && (first.Contains('.') || first.Contains(':') || first == "localhost"))
        {
            domain = first;
            path = rest[(firstSlash + 1)..];
        }
        else
        {
            domain = DockerHub;
            path = firstSlash < 0 ? "library/" + rest : rest;
        }
        if (path.Length == 0 || path.Split('/').Any(p => p.Length == 0))
        {
            error = "invalid reference format";
            return null;
        }
        if (path.Any(char.IsAsciiLetterUpper))
        {
            error = "invalid reference format: repository name must be lowercase";
            return null;
        }
        if (!path.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-' or '/'))
        {
            error = "invalid reference format";
            return null;
        }
        return new ImageReference(domain, path, tag ?? (digest is null ? "latest" : null), digest);
    }

    /// <summary>Kubernetes' default pull policy: Always for :latest or no tag, else IfNotPresent.</summary>
    public static string DefaultPullPolicy(string image)
    {
        var parsed = Parse(image, out _);
        return parsed is null || (parsed.Digest is null && parsed.Tag == "latest") ? "Always" : "IfNotPresent";
    }
}
