using System.Globalization;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

/// <summary>
/// The command line of curl or busybox wget, as far as the shell simulates them: the URLs, where
/// the body goes, what is printed, how long the client waits.
/// </summary>
internal sealed record FetchOptions(
    bool Curl,
    IReadOnlyList<string> Urls,
    bool Silent,
    bool ShowError,
    bool Include,
    bool Head,
    bool Fail,
    string? Output,
    bool RemoteName,
    TimeSpan? MaxTime,
    TimeSpan? ConnectTimeout)
{
    // Options that take a value (the next word, or the rest of a combined short option).
    private const string CurlValued = "oHXdAwumeTxFbcrKEy";
    private const string WgetValued = "OTUPYoe";

    private static readonly HashSet<string> CurlLongValued =
    [
        "--output", "--header", "--request", "--data", "--data-raw", "--data-binary", "--data-urlencode", "--user-agent", "--write-out",
        "--user", "--max-time", "--connect-timeout", "--retry", "--proxy", "--resolve", "--cookie", "--cookie-jar", "--referer", "--form",
        "--cacert", "--cert", "--key", "--upload-file", "--range", "--retry-delay", "--retry-max-time", "--interface",
    ];

    private static readonly HashSet<string> WgetLongValued =
    [
        "--output-document", "--timeout", "--user-agent", "--header", "--post-data", "--directory-prefix", "--tries", "--proxy",
    ];

    public static FetchOptions Parse(string program, IReadOnlyList<string> args)
    {
        var curl = program == "curl";
        var flags = new HashSet<char>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var urls = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                var eq = a.IndexOf('=');
                var name = eq > 0 ? a[..eq] : a;
                if ((curl ? CurlLongValued : WgetLongValued).Contains(name))
                    values[name] = eq > 0 ? a[(eq + 1)..] : i + 1 < args.Count ? args[++i] : "";
                else values[name] = "";
                continue;
            }
            if (a.Length > 1 && a[0] == '-')
            {
                for (var k = 1; k < a.Length; k++)
                {
                    var flag = a[k];
                    if ((curl ? CurlValued : WgetValued).Contains(flag))
                    {
                        values["-" + flag] = k + 1 < a.Length ? a[(k + 1)..] : i + 1 < args.Count ? args[++i] : "";
                        break;
                    }
                    flags.Add(flag);
                }
                continue;
            }
            urls.Add(a);
        }
        string? Value(params string[] names) => names.Select(n => values.GetValueOrDefault(n)).FirstOrDefault(v => v is not null);
        bool Long(string name) => values.ContainsKey(name);
        if (!curl)
            return new FetchOptions(false, urls, flags.Contains('q') || Long("--quiet"), false, false, Long("--spider"), false,
                Value("-O", "--output-document"), false, Seconds(Value("-T", "--timeout")), null);
        return new FetchOptions(true, urls,
            Silent: flags.Contains('s') || Long("--silent"),
            ShowError: flags.Contains('S') || Long("--show-error"),
            Include: flags.Contains('i') || Long("--include"),
            Head: flags.Contains('I') || Long("--head"),
            Fail: flags.Contains('f') || Long("--fail"),
            Output: Value("-o", "--output"),
            RemoteName: flags.Contains('O') || Long("--remote-name"),
            MaxTime: Seconds(Value("-m", "--max-time")),
            ConnectTimeout: Seconds(Value("--connect-timeout")));
    }

    private static TimeSpan? Seconds(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? TimeSpan.FromSeconds(s) : null;
}
