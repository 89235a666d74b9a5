using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Validation;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Bootstrap;

/// <summary>
/// kube-apiserver's post-start hook scheduling/bootstrap-system-priority-classes: the two system
/// classes (system-node-critical, system-cluster-critical) are created at control-plane start if
/// absent, and again if deleted, so critical pods can always name them.
/// </summary>
public sealed class SystemPriorityClasses : Controller
{
    private readonly Indexer<V1PriorityClass> _classes;

    public SystemPriorityClasses(ControllerContext context) : base(context, "system-priority-classes", workers: 1, fieldManager: "kube-apiserver")
    {
        var classes = Informers.For<V1PriorityClass>();
        _classes = classes.Indexer;
        Handle(classes);
        foreach (var (name, _, _) in PriorityClassValidation.SystemClasses) Enqueue(name);
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new SystemPriorityClasses(context));

    protected override async Task<SyncResult> Sync(string key)
    {
        if (_classes.Get(key) is not null) return SyncResult.Done;
        var known = PriorityClassValidation.SystemClasses.FirstOrDefault(c => c.Name == key);
        if (known.Name is null) return SyncResult.Done; // a user's class: not ours to keep
        var created = await Api.Create(Class(known.Name, known.Value, known.Description));
        if (created.IsAlreadyExists) return SyncResult.Done; // the cache is behind
        _ = created.Object; // any other failure: retried with back-off
        return SyncResult.Done;
    }

    public static V1PriorityClass Class(string name, long value, string description) => new()
    {
        ApiVersion = "scheduling.k8s.io/v1",
        Kind = "PriorityClass",
        Metadata = new V1ObjectMeta { Name = name },
        Value = (int)value,
        Description = description,
        GlobalDefault = false,
    };
}
