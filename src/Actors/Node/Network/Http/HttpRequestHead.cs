using System.Text;

namespace Akka.KubeEmu.Actors.Node.Network.Http;

/// <summary>The request line and headers of one HTTP/1.x request, as a server receives them.</summary>
public sealed record HttpRequestHead(string Method, string Target, string Version, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public string Path => Target.Split('?', 2)[0];

    public string? Header(string name)
    {
        foreach (var (k, v) in Headers)
            if (string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) return v;
        return null;
    }

    public long ContentLength => long.TryParse(Header("Content-Length"), out var n) && n > 0 ? n : 0;

    /// <summary>HTTP/1.1 keeps the connection unless told otherwise; HTTP/1.0 closes unless told keep-alive.</summary>
    public bool KeepAlive
    {
        get
        {
            var connection = Header("Connection");
            if (Version == "HTTP/1.0") return string.Equals(connection, "keep-alive", StringComparison.OrdinalIgnoreCase);
            return !string.Equals(connection, "close", StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Parses the head (without the blank line); null when it is not HTTP.</summary>
    public static HttpRequestHead? Parse(string head)
    {
        var lines = head.Split("\r\n");
        var request = lines[0].Split(' ');
        if (request.Length != 3 || !request[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || request[0].Length == 0) return null;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            var colon = line.IndexOf(':');
            if (colon <= 0) return null;
            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        return new HttpRequestHead(request[0], request[1], request[2], headers);
    }

    public static HttpRequestHead Get(string target, params (string Name, string Value)[] headers) =>
        new("GET", target, "HTTP/1.1", headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToArray());

    public override string ToString()
    {
        var sb = new StringBuilder().Append(Method).Append(' ').Append(Target).Append(' ').Append(Version).Append("\r\n");
        foreach (var (k, v) in Headers) sb.Append(k).Append(": ").Append(v).Append("\r\n");
        return sb.ToString();
    }
}

/// <summary>An HTTP response as the simulated server sends it.</summary>
public sealed record HttpResponse(int Status, string Reason, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>
    /// A response as a client reads it (status line and headers without the blank line); null when
    /// it is not HTTP. The Connection header is left out: it belongs to the exchange, not the answer.
    /// </summary>
    public static HttpResponse? Parse(string head, byte[] body)
    {
        var lines = head.Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(status[1], out var code)) return null;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) return null;
            var name = line[..colon].Trim();
            if (!name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) headers.Add(new(name, line[(colon + 1)..].Trim()));
        }
        return new HttpResponse(code, status.Length > 2 ? status[2] : "", headers, body);
    }

    /// <summary>The bytes on the wire; Date is added when it is not there, Connection as the exchange decided.</summary>
    public byte[] Serialize(string version, bool keepAlive, bool head)
    {
        var sb = new StringBuilder();
        sb.Append(version == "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1").Append(' ').Append(Status).Append(' ').Append(Reason).Append("\r\n");
        foreach (var (k, v) in Headers) sb.Append(k).Append(": ").Append(v).Append("\r\n");
        sb.Append("Connection: ").Append(keepAlive ? "keep-alive" : "close").Append("\r\n\r\n");
        var headBytes = Encoding.ASCII.GetBytes(sb.ToString());
        if (head) return headBytes;
        var all = new byte[headBytes.Length + Body.Length];
        headBytes.CopyTo(all, 0);
        Body.CopyTo(all, headBytes.Length);
        return all;
    }
}
