using System.Globalization;
using System.Text;

namespace Akka.KubeEmu.Actors.Node.Network.Http;

/// <summary>
/// The answers of the catalog's HTTP servers, with the headers and pages the real programs send:
/// nginx serves its html root from the pod's files (its welcome page and its 404 page otherwise),
/// traefik/whoami prints who it is and the request, tomcat, httpd, hello-app, serve_hostname, coredns and http-echo their
/// pages; any other server answers 200 with a short text, or 404 where its image serves nothing.
/// </summary>
public static class SimulatedHttpServer
{
    public const string NginxVersion = "nginx/1.27.3";

    public static HttpResponse Respond(HttpExchange x, HttpRequestHead request)
    {
        var repo = x.Repository;
        if (repo.EndsWith("nginx", StringComparison.Ordinal) || repo.Contains("nginx-", StringComparison.Ordinal)) return Nginx(x, request);
        if (repo.EndsWith("whoami", StringComparison.Ordinal)) return Whoami(x, request);
        if (repo == "tomcat") return Tomcat(x);
        if (repo == "httpd") return Httpd(x);
        if (repo.EndsWith("hello-app", StringComparison.Ordinal))
            return Go(x, x.Status, $"Hello, world!\nVersion: 1.0.0\nHostname: {x.Hostname}\n");
        // agnhost's serve-hostname: the bare hostname, so `wget -qO-` in a loop prints the names run together.
        if (repo.EndsWith("serve_hostname", StringComparison.Ordinal)) return Go(x, 200, x.Hostname);
        if (repo.EndsWith("agnhost", StringComparison.Ordinal) && Agnhost(x, request) is { } agnhost) return agnhost;
        if (repo.EndsWith("coredns/coredns", StringComparison.Ordinal)) return CoreDns(x, request);
        if (repo.EndsWith("http-echo", StringComparison.Ordinal))
            return Go(x, 200, (x.Args.Select(a => a.StartsWith("-text=", StringComparison.Ordinal) ? a[6..] : null).LastOrDefault(a => a is not null) ?? "hello-world") + "\n");
        if (x.Status == 404) return Go(x, 404, "404 page not found\n");
        return Go(x, 200, $"OK {x.Hostname}\n");
    }

    // agnhost's netexec endpoints that answer plain text (its hostname, the client, an echoed message), and
    // serve-hostname's bare hostname on every path; the others answer as any server.
    private static HttpResponse? Agnhost(HttpExchange x, HttpRequestHead request)
    {
        if (x.Args.Contains("serve-hostname")) return Go(x, 200, x.Hostname);
        if (!x.Args.Contains("netexec")) return null;
        var parts = request.Target.Split('?', 2);
        switch (parts[0])
        {
            case "/hostname" or "/hostName": return Go(x, 200, x.Hostname);
            case "/clientip": return Go(x, 200, x.RemoteAddress);
            case "/echo":
                var msg = (parts.Length > 1 ? parts[1] : "").Split('&').Select(p => p.Split('=', 2))
                    .FirstOrDefault(kv => kv[0] == "msg") is [_, var value] ? Uri.UnescapeDataString(value.Replace('+', ' ')) : "";
                return Go(x, 200, msg);
            default: return null;
        }
    }

    // CoreDNS's health plugin (/health), ready plugin (/ready) and prometheus plugin (/metrics); Go's 404 elsewhere.
    private static HttpResponse CoreDns(HttpExchange x, HttpRequestHead request) => request.Path switch
    {
        "/health" or "/ready" => Go(x, 200, "OK"),
        "/metrics" => Go(x, 200, CoreDnsMetrics),
        _ => Go(x, 404, "404 page not found\n"),
    };

    private const string CoreDnsMetrics = """
        # HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.
        # TYPE coredns_build_info gauge
        coredns_build_info{goversion="go1.21.11",revision="a6338e9",version="1.11.3"} 1
        # HELP coredns_health_request_duration_seconds Histogram of the time (in seconds) each request took.
        # TYPE coredns_health_request_duration_seconds histogram
        # HELP coredns_plugin_enabled A metric that indicates whether a plugin is enabled on per server and zone basis.
        # TYPE coredns_plugin_enabled gauge
        coredns_plugin_enabled{name="cache",server="dns://:53",view="",zone="."} 1
        coredns_plugin_enabled{name="errors",server="dns://:53",view="",zone="."} 1
        coredns_plugin_enabled{name="forward",server="dns://:53",view="",zone="."} 1
        coredns_plugin_enabled{name="kubernetes",server="dns://:53",view="",zone="."} 1
        coredns_plugin_enabled{name="loadbalance",server="dns://:53",view="",zone="."} 1
        coredns_plugin_enabled{name="loop",server="dns://:53",view="",zone="."} 1
        coredns_plugin_enabled{name="prometheus",server="dns://:53",view="",zone="."} 1

        """;

    private static HttpResponse Nginx(HttpExchange x, HttpRequestHead request)
    {
        var root = (x.HttpRoot ?? "/usr/share/nginx/html").TrimEnd('/');
        var path = Uri.UnescapeDataString(request.Path);
        if (path.EndsWith('/')) path += "index.html";
        var file = x.Files.Read(root + path);
        if (file is null && path == "/index.html") file = NginxWelcome;
        if (file is null && path == "/50x.html") file = Nginx50x;
        if (file is null)
        {
            var page = NginxError(404, "Not Found");
            return new HttpResponse(404, "Not Found", [
                new("Server", NginxVersion), new("Date", HttpDate(x.Now)), new("Content-Type", "text/html"),
                new("Content-Length", page.Length.ToString(CultureInfo.InvariantCulture))], page);
        }
        var body = Encoding.UTF8.GetBytes(file);
        var modified = x.Now.AddDays(-7);
        return new HttpResponse(200, "OK", [
            new("Server", NginxVersion), new("Date", HttpDate(x.Now)), new("Content-Type", ContentType(path)),
            new("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)),
            new("Last-Modified", HttpDate(modified)),
            new("ETag", $"\"{modified.ToUnixTimeSeconds():x}-{body.Length:x}\""),
            new("Accept-Ranges", "bytes")], body);
    }

    private static byte[] NginxError(int code, string reason) => Encoding.ASCII.GetBytes(
        $"<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>{NginxVersion}</center>\r\n</body>\r\n</html>\r\n");

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" or ".htm" => "text/html",
        ".css" => "text/css",
        ".js" => "application/javascript",
        ".json" => "application/json",
        ".png" => "image/png",
        ".txt" => "text/plain",
        _ => "application/octet-stream",
    };

    /// <summary>traefik/whoami: its lines, then the request as Go's Request.Write prints it.</summary>
    private static HttpResponse Whoami(HttpExchange x, HttpRequestHead request)
    {
        var sb = new StringBuilder();
        sb.Append("Hostname: ").Append(x.Hostname).Append('\n');
        sb.Append("IP: 127.0.0.1\nIP: ::1\n");
        sb.Append("IP: ").Append(x.PodIp).Append('\n');
        sb.Append("RemoteAddr: ").Append(x.RemoteAddress).Append('\n');
        sb.Append(request.Method).Append(' ').Append(request.Target).Append(' ').Append(request.Version).Append("\r\n");
        sb.Append("Host: ").Append(request.Header("Host") ?? "").Append("\r\n");
        foreach (var (k, v) in request.Headers.Where(h => !string.Equals(h.Key, "Host", StringComparison.OrdinalIgnoreCase))
                     .OrderBy(h => h.Key, StringComparer.Ordinal))
            sb.Append(k).Append(": ").Append(v).Append("\r\n");
        sb.Append("\r\n");
        return Go(x, 200, sb.ToString());
    }

    private static HttpResponse Tomcat(HttpExchange x)
    {
        const string version = "Apache Tomcat/9.0.98";
        if (x.Status == 404)
        {
            var page = Encoding.UTF8.GetBytes(
                "<!doctype html><html lang=\"en\"><head><title>HTTP Status 404 – Not Found</title></head><body><h1>HTTP Status 404 – Not Found</h1>" +
                "<hr class=\"line\" /><p><b>Type</b> Status Report</p><p><b>Description</b> The origin server did not find a current representation " +
                $"for the target resource or is not willing to disclose that one exists.</p><hr class=\"line\" /><h3>{version}</h3></body></html>");
            return new HttpResponse(404, "", [new("Content-Type", "text/html;charset=utf-8"), new("Content-Language", "en"),
                new("Content-Length", page.Length.ToString(CultureInfo.InvariantCulture)), new("Date", HttpDate(x.Now))], page);
        }
        var body = Encoding.UTF8.GetBytes(
            $"<!DOCTYPE html>\n<html lang=\"en\">\n    <head>\n        <meta charset=\"UTF-8\" />\n        <title>{version}</title>\n    </head>\n" +
            $"    <body>\n        <h1>{version}</h1>\n        <h2>If you're seeing this, you've successfully installed Tomcat. Congratulations!</h2>\n    </body>\n</html>\n");
        return new HttpResponse(200, "", [new("Content-Type", "text/html;charset=UTF-8"),
            new("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)), new("Date", HttpDate(x.Now))], body);
    }

    private static HttpResponse Httpd(HttpExchange x)
    {
        var found = x.Status != 404;
        var body = Encoding.ASCII.GetBytes(found
            ? "<html><body><h1>It works!</h1></body></html>\n"
            : "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n");
        return new HttpResponse(found ? 200 : 404, found ? "OK" : "Not Found", [new("Date", HttpDate(x.Now)), new("Server", "Apache/2.4.62 (Unix)"),
            new("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)), new("Content-Type", "text/html")], body);
    }

    /// <summary>A Go net/http server: Date, Content-Length, Content-Type text/plain, no Server header.</summary>
    private static HttpResponse Go(HttpExchange x, int status, string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        return new HttpResponse(status, status == 404 ? "Not Found" : "OK", [new("Content-Type", "text/plain; charset=utf-8"),
            new("Date", HttpDate(x.Now)), new("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture))], body);
    }

    public static string HttpDate(DateTimeOffset at) => at.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    public const string NginxWelcome = """
        <!DOCTYPE html>
        <html>
        <head>
        <title>Welcome to nginx!</title>
        <style>
        html { color-scheme: light dark; }
        body { width: 35em; margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif; }
        </style>
        </head>
        <body>
        <h1>Welcome to nginx!</h1>
        <p>If you see this page, the nginx web server is successfully installed and
        working. Further configuration is required.</p>

        <p>For online documentation and support please refer to
        <a href="http://nginx.org/">nginx.org</a>.<br/>
        Commercial support is available at
        <a href="http://nginx.com/">nginx.com</a>.</p>

        <p><em>Thank you for using nginx.</em></p>
        </body>
        </html>

        """;

    public const string Nginx50x = """
        <!DOCTYPE html>
        <html>
        <head>
        <title>Error</title>
        <style>
        html { color-scheme: light dark; }
        body { width: 35em; margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif; }
        </style>
        </head>
        <body>
        <h1>An error occurred.</h1>
        <p>Sorry, the page you are looking for is currently unavailable.<br/>
        Please try again later.</p>
        <p>If you are the system administrator of this resource then you should check
        the error log for details.</p>
        <p><em>Faithfully yours, nginx.</em></p>
        </body>
        </html>

        """;
}
