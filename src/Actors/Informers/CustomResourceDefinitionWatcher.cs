using Akka.Actor;
using Akka.KubeEmu.Actors.Api.CustomResources;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Actors.Informers;

/// <summary>
/// Keeps this process's <see cref="CustomResourceRegistry"/> in step with the definitions in the Store
/// (list, then watch, through a <see cref="Reflector"/>), as every kube-apiserver's crdHandler follows a
/// CRD informer: each control-plane process, a restarted one too, serves the custom resources.
/// </summary>
public sealed class CustomResourceDefinitionWatcher : ReceiveActor
{
    public CustomResourceDefinitionWatcher(IActorRef store, TimeProvider time)
    {
        Context.ActorOf(Reflector.Props(store, new ReflectorSpec("customresourcedefinitions", StorageRules.CustomResourceDefinitions), time),
            "reflector");
        Receive<ReflectorReplace>(r => CustomResourceRegistry.Replace(r.Items.Select(i => KubeObject.Parse(i.Utf8))));
        Receive<ReflectorEvents>(e =>
        {
            foreach (var ev in e.Events)
            {
                var crd = KubeObject.Parse(ev.Object.Utf8);
                if (ev.Type == "DELETED") CustomResourceRegistry.Remove(KubeObject.Name(crd));
                else CustomResourceRegistry.Apply(crd);
            }
        });
    }

    public static Props Props(IActorRef store, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new CustomResourceDefinitionWatcher(store, time));
}
