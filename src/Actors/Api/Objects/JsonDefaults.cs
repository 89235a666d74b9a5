using System.Text.Encodings.Web;
using System.Text.Json;

namespace Akka.KubeEmu.Actors.Api.Objects;

public static class JsonDefaults
{
    /// <summary>Compact output; HTML-unsafe characters kept as they are, as Go's encoder does for API bodies.</summary>
    public static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };
}
