using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>Request bodies and answer checks for the HTTP-level specs.</summary>
public static class Http
{
    public static StringContent Body(string json, string type = "application/json")
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return content;
    }

    public static async Task<JsonObject> Json(HttpResponseMessage r) => JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();

    public static Task<HttpResponseMessage> Patch(this HttpClient client, string path, string patch, string type) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, path) { Content = Body(patch, type) });

    /// <summary>The object of a successful answer, failing with the Status text otherwise.</summary>
    public static async Task<JsonObject> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Asserts a failure Status and returns its message.</summary>
    public static async Task<string> Failure(HttpResponseMessage response, int code, string reason)
    {
        var status = await Json(response);
        Assert.Equal((code, "Status", "Failure", reason), ((int)response.StatusCode, status["kind"]?.GetValue<string>(),
            status["status"]?.GetValue<string>(), status["reason"]?.GetValue<string>()));
        return status["message"]!.GetValue<string>();
    }
}
