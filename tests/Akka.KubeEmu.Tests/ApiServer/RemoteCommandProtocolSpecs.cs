using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Host.ApiServer.Exec;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>remotecommand over WebSocket: the channel framing kubectl speaks and the Status it reads the exit code from.</summary>
public sealed class RemoteCommandProtocolSpecs
{
    [Fact]
    public void The_newest_protocol_the_client_offers_first_is_chosen()
    {
        Assert.Equal("v5.channel.k8s.io", RemoteCommandProtocol.Negotiate(["v5.channel.k8s.io", "v4.channel.k8s.io", "v4.base64.channel.k8s.io"]));
        Assert.Equal("v4.channel.k8s.io", RemoteCommandProtocol.Negotiate(["v4.base64.channel.k8s.io", "v4.channel.k8s.io"]));
        Assert.Null(RemoteCommandProtocol.Negotiate(["base64.channel.k8s.io"]));
    }

    [Fact]
    public void Frames_start_with_their_channel_byte()
    {
        Assert.Equal(new byte[] { 1, (byte)'h', (byte)'i' }, RemoteCommandProtocol.Frame(RemoteCommandProtocol.Stdout, "hi"u8));
        var stdin = RemoteCommandProtocol.Read(new byte[] { 0, (byte)'x' });
        Assert.Equal(ClientFrameKind.Stdin, stdin.Kind);
        Assert.Equal("x"u8.ToArray(), stdin.Data);
        Assert.Equal(ClientFrameKind.StdinClosed, RemoteCommandProtocol.Read(new byte[] { 255, 0 }).Kind); // v5 close of stdin
        Assert.Equal(ClientFrameKind.Resize, RemoteCommandProtocol.Read("\u0004{\"Width\":80,\"Height\":24}"u8).Kind);
        Assert.Equal(ClientFrameKind.Ignored, RemoteCommandProtocol.Read([]).Kind);
    }

    [Fact]
    public void A_non_zero_exit_is_a_failure_with_the_code_as_cause_so_kubectl_exits_with_it()
    {
        Assert.Equal("{\"metadata\":{},\"status\":\"Success\"}", Encoding.UTF8.GetString(RemoteCommandProtocol.ExitStatus(0, ["true"])));
        var failure = JsonNode.Parse(RemoteCommandProtocol.ExitStatus(3, ["sh", "-c", "exit 3"]))!;
        Assert.Equal("Failure", (string?)failure["status"]);
        Assert.Equal("NonZeroExitCode", (string?)failure["reason"]);
        Assert.Equal("ExitCode", (string?)failure["details"]!["causes"]![0]!["reason"]);
        Assert.Equal("3", (string?)failure["details"]!["causes"]![0]!["message"]);
        Assert.Equal("command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3", (string?)failure["message"]);
    }

    [Fact]
    public void An_error_is_an_internal_error_whose_message_kubectl_prints()
    {
        var status = JsonNode.Parse(RemoteCommandProtocol.InternalError("unable to upgrade connection: container not found (\"web\")"))!;
        Assert.Equal("Internal error occurred: unable to upgrade connection: container not found (\"web\")", (string?)status["message"]);
        Assert.Equal("InternalError", (string?)status["reason"]);
        Assert.Equal(500, (int?)status["code"]);
    }

    [Theory]
    [InlineData("", "you must specify at least 1 command")]
    [InlineData("command=ls", "you must specify at least one of stdin, stdout, stderr")]
    public void Options_are_checked_as_kube_apiserver_does(string query, string message)
    {
        var (options, invalid) = ExecOptions.Parse(new QueryCollection(QueryHelpers(query)), attach: false);
        Assert.Null(options);
        Assert.Equal(400, invalid!.Code);
        Assert.Equal(message, invalid.Message);
    }

    [Fact]
    public void Repeated_command_parameters_are_the_argv_in_order()
    {
        var (options, _) = ExecOptions.Parse(new QueryCollection(QueryHelpers("command=sh&command=-c&command=echo+hi&stdout=true&stdin=1&tty=false")), attach: false);
        Assert.Equal(["sh", "-c", "echo hi"], options!.Command);
        Assert.True(options.Stdin);
        Assert.True(options.Stdout);
        Assert.False(options.Tty);
    }

    [Fact]
    public void Stream_flags_are_booleans_as_apimachinery_reads_them_anything_but_0_and_false_in_any_case()
    {
        var (options, _) = ExecOptions.Parse(new QueryCollection(QueryHelpers("command=ls&stdout=True&stderr=yes&stdin=FALSE&tty=0")), attach: false);
        Assert.Equal((true, true, false, false), (options!.Stdout, options.Stderr, options.Stdin, options.Tty));
    }

    private static Dictionary<string, StringValues> QueryHelpers(string query) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
}
