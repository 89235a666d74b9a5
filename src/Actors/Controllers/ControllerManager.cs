using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Controllers.Bootstrap;
using Akka.KubeEmu.Actors.Controllers.CronJob;
using Akka.KubeEmu.Actors.Controllers.DaemonSet;
using Akka.KubeEmu.Actors.Controllers.Deployment;
using Akka.KubeEmu.Actors.Controllers.Endpoint;
using Akka.KubeEmu.Actors.Controllers.EndpointSlice;
using Akka.KubeEmu.Actors.Controllers.LoadBalancer;
using Akka.KubeEmu.Actors.Store.Allocation;
using Akka.KubeEmu.Actors.Controllers.Disruption;
using Akka.KubeEmu.Actors.Controllers.Job;
using Akka.KubeEmu.Actors.Controllers.TtlAfterFinished;
using Akka.KubeEmu.Actors.Controllers.Namespace;
using Akka.KubeEmu.Actors.Controllers.NodeLifecycle;
using Akka.KubeEmu.Actors.Controllers.PersistentVolume;
using Akka.KubeEmu.Actors.Controllers.PodGC;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using Akka.KubeEmu.Actors.Controllers.RootCaPublisher;
using Akka.KubeEmu.Actors.Controllers.ServiceAccount;
using Akka.KubeEmu.Actors.Controllers.StatefulSet;
using Akka.KubeEmu.Actors.Controllers.TaintEviction;
using Akka.KubeEmu.Actors.Controllers.VolumeProtection;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Membership;

namespace Akka.KubeEmu.Actors.Controllers;

/// <summary>
/// kube-controller-manager: a cluster singleton whose children are the controllers, sharing one
/// set of informers and one API client. A controller that throws is restarted on its own.
/// </summary>
public sealed class ControllerManager : ReceiveActor
{
    private readonly SharedInformerFactory _informers;

    /// <param name="apiPort">The API server's port, published in the default/kubernetes Endpoints.</param>
    /// <param name="caPem">The cluster CA certificate (PEM) the root CA publisher hands to every namespace.</param>
    /// <param name="membership">
    /// Starts what feeds <see cref="MemberHealth"/> to a controller (its argument); unset, Akka cluster membership
    /// (<see cref="MembershipMonitor"/>). The test kit's virtual-time cluster has no Akka cluster and plays membership itself.
    /// </param>
    public ControllerManager(IActorRef store, TimingProfile timing, TimeProvider time, string caPem, int apiPort,
        Func<IActorRef, Props>? membership = null)
    {
        membership ??= subscriber => MembershipMonitor.Props(subscriber);
        var api = new ApiClient(new RestStorage(new StoreClient(store, TimeSpan.FromSeconds(30)),
            new KubernetesPipeline(new AdmissionSettings(timing.DefaultTolerationSeconds)), time), "kube-controller-manager");
        _informers = new SharedInformerFactory(Context.System, "controller-manager", store, time);
        var context = new ControllerContext(api, _informers, time);

        Context.ActorOf(SystemNamespaces.Props(context), "system-namespaces");
        Context.ActorOf(KubernetesService.Props(context, apiPort), "kubernetes-service");
        Context.ActorOf(NodeLifecycleController.Props(context, timing, membership), "node-lifecycle");
        Context.ActorOf(TaintEvictionController.Props(context), "taint-eviction");
        Context.ActorOf(PodGCController.Props(context, timing, membership), "podgc");
        Context.ActorOf(NamespaceController.Props(context), "namespace");
        Context.ActorOf(ServiceAccountsController.Props(context), "serviceaccount");
        Context.ActorOf(RootCaCertPublisher.Props(context, caPem), "root-ca-cert-publisher");
        Context.ActorOf(GarbageCollector.GarbageCollector.Props(context), "garbage-collector");
        Context.ActorOf(DeploymentController.Props(context), "deployment");
        Context.ActorOf(ReplicaSetController.Props(context), "replicaset");
        Context.ActorOf(ReplicationManager.Props(context), "replicationcontroller");
        Context.ActorOf(StandardStorageClass.Props(context), "standard-storage-class");
        Context.ActorOf(SystemPriorityClasses.Props(context), "system-priority-classes");
        Context.ActorOf(BootstrapRbacPolicy.Props(context), "rbac-bootstrap-roles");
        Context.ActorOf(ClusterRoleAggregation.ClusterRoleAggregationController.Props(context), "clusterrole-aggregation");
        Context.ActorOf(PersistentVolumeController.Props(context), "persistentvolume-binder");
        Context.ActorOf(LocalVolumeProvisioner.Props(context), "local-volume-provisioner");
        Context.ActorOf(PvcProtectionController.Props(context), "pvc-protection");
        Context.ActorOf(PvProtectionController.Props(context), "pv-protection");
        Context.ActorOf(AttachDetach.AttachDetachController.Props(context), "attachdetach");
        if (Node.Volumes.VolumeSettings.From(Context.System.Settings.Config) is { } volumeData)
            Context.ActorOf(VolumeData.VolumeDataReclaimer.Props(context, volumeData), "volume-data-reclaimer");
        Context.ActorOf(StatefulSetController.Props(context), "statefulset");
        Context.ActorOf(JobController.Props(context, timing), "job");
        Context.ActorOf(CronJobController.Props(context), "cronjob");
        Context.ActorOf(TtlAfterFinishedController.Props(context), "ttl-after-finished");
        Context.ActorOf(DaemonSetsController.Props(context), "daemonset");
        var serviceNetwork = ServiceNetworkSettings.From(Context.System.Settings.Config);
        Context.ActorOf(KubeDnsService.Props(context, serviceNetwork), "kube-dns-service");
        if (Context.System.Settings.Config.GetBoolean("kubeemu.addons.coredns", true))
            Context.ActorOf(CoreDnsAddon.Props(context), "coredns-addon");
        Context.ActorOf(EndpointsController.Props(context), "endpoint");
        Context.ActorOf(EndpointSliceController.Props(context), "endpointslice");
        Context.ActorOf(LoadBalancerController.Props(context, serviceNetwork), "load-balancer");
        Context.ActorOf(DisruptionController.Props(context), "disruption");
        Context.ActorOf(ResourceQuota.ResourceQuotaController.Props(context), "resourcequota");
        Context.ActorOf(CustomResourceCleanup.CustomResourceCleanupController.Props(context), "crd-finalizer");

        Receive<Shutdown>(_ => Context.Stop(Self));
    }

    /// <summary>The controller manager's termination message (its singleton's hand-over).</summary>
    public sealed class Shutdown
    {
        public static readonly Shutdown Instance = new();

        private Shutdown()
        {
        }
    }

    protected override void PostStop() => _informers.Shutdown();

    public static Props Props(IActorRef store, TimingProfile timing, TimeProvider time, string caPem, int apiPort,
        Func<IActorRef, Props>? membership = null) =>
        Akka.Actor.Props.Create(() => new ControllerManager(store, timing, time, caPem, apiPort, membership));
}
