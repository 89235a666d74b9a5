using Akka.Actor;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Network;
using Akka.KubeEmu.Actors.Node.Network.Http;

namespace Akka.KubeEmu.Actors.Node.Pods;

// The pod's network namespace as connections see it: what listens on a port is whatever one of its
// running containers' processes listens on (the containers share the namespace), and an HTTP server
// answers from that container's files and the pod's identity.
public sealed partial class PodWorker
{
    private void JoinPodNetwork()
    {
        if (_podIp is not null && _rejection is null) _node.PodNetwork.Register(_podIp, Self);
    }

    protected override void PostStop()
    {
        if (_podIp is not null) _node.PodNetwork.Unregister(_podIp, Self);
        base.PostStop();
    }

    private ContainerRecord? ListenerOn(int port)
    {
        if (!_sandboxReady || _terminalPhase is not null) return null;
        var now = Now;
        foreach (var c in All)
        {
            if (c.Stage != ContainerStage.Running) continue;
            AdvanceProcess(c, now);
            if (c.Process is { Exited: false } p && p.Ports.ContainsKey(port)) return c;
        }
        return null;
    }

    private void OnPodConnect(PodConnect connect)
    {
        var listener = ListenerOn(connect.Port);
        Sender.Tell(new PodConnectAnswer(listener?.Process is not { } p ? PodListener.None : p.Ports[connect.Port] ? PodListener.Http : PodListener.Opaque));
    }

    private void OnPodHttpRequest(PodHttpRequest request)
    {
        if (ListenerOn(request.Port) is not { Process: { } process } c)
        {
            Sender.Tell(new PodHttpAnswer(null));
            return;
        }
        var exchange = new HttpExchange(
            c.Image?.FamiliarRepository ?? "",
            c.Spec.Command.Concat(c.Spec.Args).ToArray(),
            process.HttpStatus(request.Request.Path),
            process.Image.HttpRoot,
            process.Files,
            _pod.Hostname,
            _podIp ?? "",
            request.Port,
            request.RemoteAddress,
            Now);
        Sender.Tell(new PodHttpAnswer(SimulatedHttpServer.Respond(exchange, request.Request)));
    }
}
