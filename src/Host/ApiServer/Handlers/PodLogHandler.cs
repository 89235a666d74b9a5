using System.Text;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Node.Agent;
using Akka.KubeEmu.Actors.Node.Logs;
using Akka.KubeEmu.Host.ApiServer.Http;

namespace Akka.KubeEmu.Host.ApiServer.Handlers;

/// <summary>
/// GET pods/{name}/log (pkg/registry/core/pod/rest/log.go with LogLocation): checks the options
/// and the container as kube-apiserver does, then asks the kubelet of the pod's node, in the
/// node process named by the Node's kubeemu.io/akka-address annotation, and answers text/plain.
/// With follow the stream goes on until that container instance ends or the client goes.
/// </summary>
public sealed class PodLogHandler(ApiServerServices services)
{
    /// <summary>How long the kubelet may take to answer before it counts as unreachable.</summary>
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How often a follower asks the kubelet for new lines.</summary>
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    public async Task Serve(HttpContext context, string ns, string name)
    {
        var (options, invalid) = PodLogOptions.Parse(context.Request.Query, services.Time.GetUtcNow());
        if (invalid is not null)
        {
            await StatusResponses.Write(context, invalid);
            return;
        }
        var got = await services.Rest.Get(ResourceCatalog.Pods, ns, name);
        if (got.Error is not null)
        {
            await StatusResponses.Write(context, got.Error);
            return;
        }
        var pod = KubeObject.Parse(got.Body!.Utf8);
        var (container, containerError) = PodContainers.Choose(pod, name, options!.Container);
        if (containerError is not null)
        {
            await StatusResponses.Write(context, containerError);
            return;
        }
        var nodeName = KubeObject.ScalarAt(pod, "spec.nodeName");
        if (string.IsNullOrEmpty(nodeName))
        {
            // Not scheduled yet: kube-apiserver has no location and answers an empty log.
            await Begin(context);
            return;
        }
        var location = await KubeletLocation.Of(services, nodeName);
        var unreachable = Unreachable(location.DialHost, ns, name, container!);
        if (location.Kubelet is not { } kubelet)
        {
            await StatusResponses.Write(context, unreachable);
            return;
        }
        var request = new ContainerLogRequest(nodeName, KubeObject.Uid(pod) ?? "", ns, name, container!, options.Previous,
            options.TailLines, options.SinceTime, options.Timestamps);
        var answer = await Ask(kubelet, request, context.RequestAborted);
        if (answer is null)
        {
            await StatusResponses.Write(context, unreachable);
            return;
        }
        if (answer.Error is { } error)
        {
            await StatusResponses.Write(context, ApiStatus.BadRequest(error));
            return;
        }
        await Begin(context);
        var remaining = options.LimitBytes ?? long.MaxValue;
        remaining = await Write(context, answer.Text, remaining);
        while (options.Follow && !answer.Ended && remaining > 0 && !context.RequestAborted.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(FollowInterval, services.Time, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var next = await Ask(kubelet, request with { TailLines = null, SinceTime = null, ContainerId = answer.ContainerId, FromSequence = answer.NextSequence },
                context.RequestAborted);
            if (next is null || next.Error is not null) return; // the node went away: the stream ends
            answer = next;
            remaining = await Write(context, answer.Text, remaining);
        }
    }

    private static async Task Begin(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await context.Response.StartAsync(context.RequestAborted);
    }

    /// <summary>Writes what the byte limit still allows; the bytes left.</summary>
    private static async Task<long> Write(HttpContext context, string text, long remaining)
    {
        if (text.Length == 0) return remaining;
        var bytes = Encoding.UTF8.GetBytes(text);
        var count = (int)Math.Min(bytes.Length, remaining);
        try
        {
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, count), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        return remaining - count;
    }

    private static async Task<ContainerLogAnswer?> Ask(ActorSelection kubelet, ContainerLogRequest request, CancellationToken cancel)
    {
        try
        {
            return await kubelet.Ask<ContainerLogAnswer>(request, AskTimeout, cancel);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>What kube-apiserver says when the kubelet does not answer: the dial error of its request.</summary>
    private static ApiStatus Unreachable(string host, string ns, string pod, string container) =>
        new(500, "InternalError",
            $"Get \"https://{host}/containerLogs/{ns}/{pod}/{container}\": dial tcp {host}: connect: connection refused");
}
