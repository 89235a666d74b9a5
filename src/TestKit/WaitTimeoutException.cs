using k8s;
using k8s.Models;

namespace Akka.KubeEmu.TestKit;

/// <summary>A WaitFor… deadline passed: the message shows the condition and what the objects last looked like.</summary>
public sealed class WaitTimeoutException : TimeoutException
{
    private const int MaxRendered = 20_000;

    public WaitTimeoutException(string what, string condition, TimeSpan timeout, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> lastSeen, Exception? lastError)
        : base(Compose(what, condition, timeout, lastSeen, lastError), lastError)
    {
        LastSeen = lastSeen;
    }

    /// <summary>The objects as last listed or watched (empty: none existed).</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> LastSeen { get; }

    private static string Compose(string what, string condition, TimeSpan timeout, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> lastSeen, Exception? lastError)
    {
        var state = lastSeen.Count switch
        {
            0 => "none existed.",
            1 => Environment.NewLine + Render(lastSeen),
            var n => $"{n} objects:{Environment.NewLine}{Render(lastSeen)}",
        };
        var error = lastError is null ? "" : $"{Environment.NewLine}The last attempt to read them failed: {lastError.GetType().Name}: {lastError.Message}";
        return $"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what} to satisfy {condition}. Last seen:{(lastSeen.Count == 1 ? "" : " ")}{state}{error}";
    }

    // managedFields say who wrote what, never why a condition does not hold: left out for brevity.
    private static string Render(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects)
    {
        foreach (var o in objects) o.Metadata.ManagedFields = null;
        var yaml = string.Join("---" + Environment.NewLine, objects.Select(KubernetesYaml.Serialize));
        return yaml.Length <= MaxRendered ? yaml : yaml[..MaxRendered] + $"{Environment.NewLine}… ({yaml.Length - MaxRendered} more characters)";
    }
}
