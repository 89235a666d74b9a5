using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Network.Http;
using Xunit;

namespace Akka.KubeEmu.Tests.Traffic;

public sealed class SimulatedHttpServerSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 4, 0, 0, TimeSpan.Zero);

    private static HttpExchange Exchange(string repository, ContainerFileSystem? files = null, int status = 200, string[]? args = null, string? root = null) =>
        new(repository, args ?? [], status, root, files ?? ContainerFileSystem.Empty(), "web-0", "10.244.1.7", 80, "127.0.1.3:51234", Now);

    [Fact]
    public void Nginx_answers_its_welcome_page_with_its_headers()
    {
        var response = SimulatedHttpServer.Respond(Exchange("nginx", root: "/usr/share/nginx/html"), HttpRequestHead.Get("/"));
        Assert.Equal(200, response.Status);
        Assert.Equal("nginx/1.27.3", response.Header("Server"));
        Assert.Equal("text/html", response.Header("Content-Type"));
        Assert.Equal("615", response.Header("Content-Length"));
        Assert.Equal("Wed, 02 Dec 2026 04:00:00 GMT", response.Header("Date"));
        Assert.Contains("<title>Welcome to nginx!</title>", response.BodyText);
    }

    [Fact]
    public void Nginx_serves_what_the_pod_wrote_under_its_html_root_and_404_elsewhere()
    {
        var html = new FileTree();
        var files = new ContainerFileSystem([("/usr/share/nginx/html", html)]);
        html.Write("index.html", "hello web-0\n", append: false);
        html.Write("docs/a.txt", "A", append: false);
        var x = Exchange("nginx", files, root: "/usr/share/nginx/html");
        Assert.Equal("hello web-0\n", SimulatedHttpServer.Respond(x, HttpRequestHead.Get("/")).BodyText);
        var txt = SimulatedHttpServer.Respond(x, HttpRequestHead.Get("/docs/a.txt?x=1"));
        Assert.Equal(("A", "text/plain"), (txt.BodyText, txt.Header("Content-Type")));
        var missing = SimulatedHttpServer.Respond(x, HttpRequestHead.Get("/nope"));
        Assert.Equal(404, missing.Status);
        Assert.Equal("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n", missing.BodyText);
    }

    [Fact]
    public void Whoami_prints_the_pod_and_the_request_as_it_arrived()
    {
        var request = new HttpRequestHead("GET", "/api?x=1", "HTTP/1.1", [new("Host", "127.0.1.3:30080"), new("User-Agent", "curl/7.88.1"), new("Accept", "*/*")]);
        var response = SimulatedHttpServer.Respond(Exchange("traefik/whoami"), request);
        Assert.Null(response.Header("Server"));
        Assert.Equal("text/plain; charset=utf-8", response.Header("Content-Type"));
        Assert.Equal(
            "Hostname: web-0\nIP: 127.0.0.1\nIP: ::1\nIP: 10.244.1.7\nRemoteAddr: 127.0.1.3:51234\n" +
            "GET /api?x=1 HTTP/1.1\r\nHost: 127.0.1.3:30080\r\nAccept: */*\r\nUser-Agent: curl/7.88.1\r\n\r\n", response.BodyText);
    }

    [Fact]
    public void Tomcat_httpd_and_http_echo_answer_their_own_pages()
    {
        var tomcat = SimulatedHttpServer.Respond(Exchange("tomcat"), HttpRequestHead.Get("/"));
        Assert.Contains("If you're seeing this, you've successfully installed Tomcat. Congratulations!", tomcat.BodyText);
        Assert.Null(tomcat.Header("Transfer-Encoding")); // with Content-Length, a client reads exactly the body
        Assert.Equal(tomcat.Body.Length.ToString(), tomcat.Header("Content-Length"));
        Assert.Contains("HTTP Status 404 – Not Found", SimulatedHttpServer.Respond(Exchange("tomcat", status: 404), HttpRequestHead.Get("/x")).BodyText);
        Assert.Equal("<html><body><h1>It works!</h1></body></html>\n", SimulatedHttpServer.Respond(Exchange("httpd"), HttpRequestHead.Get("/")).BodyText);
        Assert.Equal("apple\n", SimulatedHttpServer.Respond(Exchange("hashicorp/http-echo", args: ["-text=apple"]), HttpRequestHead.Get("/")).BodyText);
        var hostname = SimulatedHttpServer.Respond(Exchange("registry.k8s.io/serve_hostname"), HttpRequestHead.Get("/any/path"));
        Assert.Equal((200, "web-0", "text/plain; charset=utf-8"), (hostname.Status, hostname.BodyText, hostname.Header("Content-Type")));
    }

    [Fact]
    public void A_response_is_written_as_HTTP_1_1_with_the_connection_decision()
    {
        var response = SimulatedHttpServer.Respond(Exchange("httpd"), HttpRequestHead.Get("/"));
        var wire = System.Text.Encoding.ASCII.GetString(response.Serialize("HTTP/1.1", keepAlive: false, head: true));
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", wire);
        Assert.EndsWith("Connection: close\r\n\r\n", wire);
        Assert.Null(HttpRequestHead.Parse("SSH-2.0-OpenSSH_9.2"));
        var parsed = HttpRequestHead.Parse("GET / HTTP/1.0\r\nHost: x");
        Assert.False(parsed!.KeepAlive);
    }

    [Fact]
    public void Agnhost_netexec_answers_its_plain_text_endpoints_and_serve_hostname_its_hostname()
    {
        string Body(string[] args, string path) => SimulatedHttpServer.Respond(Exchange("e2e-test-images/agnhost", args: args), HttpRequestHead.Get(path)).BodyText;
        string[] netexec = ["netexec", "--http-port=8080"];
        Assert.Equal("web-0", Body(netexec, "/hostname"));
        Assert.Equal("web-0", Body(netexec, "/hostName"));
        Assert.Equal("127.0.1.3:51234", Body(netexec, "/clientip"));
        Assert.Equal("hi there", Body(netexec, "/echo?code=200&msg=hi+there"));
        Assert.Equal("web-0", Body(["serve-hostname"], "/anything"));
        Assert.Equal("OK web-0\n", Body(["pause"], "/hostname"));
    }
}
