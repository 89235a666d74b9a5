using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Bootstrap;

/// <summary>
/// The rest of kubeadm's CoreDNS addon (cmd/kubeadm/app/phases/addons/dns), beside the kube-dns Service
/// (<see cref="KubeDnsService"/>): the coredns ServiceAccount, the system:coredns ClusterRole and its
/// binding, the coredns ConfigMap with kubeadm's Corefile, and the coredns Deployment (2 replicas of
/// registry.k8s.io/coredns/coredns:v1.11.3) whose ready pods fill the kube-dns endpoints. Created once at
/// start, each object only if absent, as kubeadm does: one the user deletes afterwards stays deleted. Until
/// kube-system exists the creates fail and are retried with back-off. The cluster's names are still
/// answered by the node processes' own cluster DNS, not by these pods.
/// </summary>
public sealed class CoreDnsAddon : Controller
{
    public const string AddonName = "coredns";
    public const string Namespace = "kube-system";
    public const string Image = "registry.k8s.io/coredns/coredns:v1.11.3";
    public const int Replicas = 2;

    /// <summary>kubeadm's Corefile for the cluster domain cluster.local (1.32: no caching of the cluster's own zone).</summary>
    public const string Corefile = """
        .:53 {
            errors
            health {
               lameduck 5s
            }
            ready
            kubernetes cluster.local in-addr.arpa ip6.arpa {
               pods insecure
               fallthrough in-addr.arpa ip6.arpa
               ttl 30
            }
            prometheus :9153
            forward . /etc/resolv.conf {
               max_concurrent 1000
            }
            cache 30 {
               disable success cluster.local
               disable denial cluster.local
            }
            loop
            reload
            loadbalance
        }

        """;

    private const string Key = Namespace + "/" + AddonName;
    private const string RoleName = "system:coredns";

    private readonly (ResourceType Type, Func<bool> Exists, Func<JsonObject> Object)[] _objects;

    public CoreDnsAddon(ControllerContext context) : base(context, "coredns-addon", workers: 1, fieldManager: "kubeadm")
    {
        // Registered so that the first sync waits for the caches; no handler enqueues again, so a deleted object stays deleted.
        _objects =
        [
            (ResourceCatalog.ServiceAccounts, Cached<V1ServiceAccount>(Key), ServiceAccount),
            (ResourceCatalog.ClusterRoles, Cached<V1ClusterRole>(RoleName), ClusterRole),
            (ResourceCatalog.ClusterRoleBindings, Cached<V1ClusterRoleBinding>(RoleName), ClusterRoleBinding),
            (ResourceCatalog.ConfigMaps, Cached<V1ConfigMap>(Key), ConfigMap),
            (ResourceCatalog.Deployments, Cached<V1Deployment>(Key), Deployment),
        ];
        Enqueue(Key);
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new CoreDnsAddon(context));

    private Func<bool> Cached<T>(string key) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = Informers.For<T>();
        Handle(informer);
        return () => informer.Indexer.Get(key) is not null;
    }

    protected override async Task<SyncResult> Sync(string key)
    {
        // In kubeadm's order: what the pods need (their account, their Corefile) before the Deployment.
        foreach (var (type, exists, obj) in _objects)
        {
            if (!exists()) (await Api.Create(type, obj())).EnsureCreated();
        }
        return SyncResult.Done;
    }

    private static JsonObject Metadata(bool namespaced, JsonObject? labels = null)
    {
        var meta = new JsonObject { ["name"] = AddonName };
        if (namespaced) meta["namespace"] = Namespace;
        if (labels is not null) meta["labels"] = labels;
        return meta;
    }

    public static JsonObject ServiceAccount() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ServiceAccount",
        ["metadata"] = Metadata(namespaced: true),
    };

    public static JsonObject ClusterRole() => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = new JsonObject { ["name"] = RoleName },
        ["rules"] = new JsonArray(
            new JsonObject
            {
                ["apiGroups"] = new JsonArray(""),
                ["resources"] = new JsonArray("endpoints", "services", "pods", "namespaces"),
                ["verbs"] = new JsonArray("list", "watch"),
            },
            new JsonObject
            {
                ["apiGroups"] = new JsonArray("discovery.k8s.io"),
                ["resources"] = new JsonArray("endpointslices"),
                ["verbs"] = new JsonArray("list", "watch"),
            }),
    };

    public static JsonObject ClusterRoleBinding() => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = new JsonObject { ["name"] = RoleName },
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = RoleName },
        ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = AddonName, ["namespace"] = Namespace }),
    };

    public static JsonObject ConfigMap() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = Metadata(namespaced: true),
        ["data"] = new JsonObject { ["Corefile"] = Corefile },
    };

    public static JsonObject Deployment() => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = Metadata(namespaced: true, Selector()),
        ["spec"] = new JsonObject
        {
            ["replicas"] = Replicas,
            ["strategy"] = new JsonObject
            {
                ["type"] = "RollingUpdate",
                ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1 },
            },
            ["selector"] = new JsonObject { ["matchLabels"] = Selector() },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = Selector() },
                ["spec"] = PodSpec(),
            },
        },
    };

    private static JsonObject Selector() => new() { ["k8s-app"] = "kube-dns" };

    private static JsonObject PodSpec() => new()
    {
        ["priorityClassName"] = "system-cluster-critical",
        ["serviceAccountName"] = AddonName,
        ["affinity"] = new JsonObject
        {
            ["podAntiAffinity"] = new JsonObject
            {
                ["preferredDuringSchedulingIgnoredDuringExecution"] = new JsonArray(new JsonObject
                {
                    ["weight"] = 100,
                    ["podAffinityTerm"] = new JsonObject
                    {
                        ["labelSelector"] = new JsonObject
                        {
                            ["matchExpressions"] = new JsonArray(new JsonObject
                            {
                                ["key"] = "k8s-app",
                                ["operator"] = "In",
                                ["values"] = new JsonArray("kube-dns"),
                            }),
                        },
                        ["topologyKey"] = "kubernetes.io/hostname",
                    },
                }),
            },
        },
        ["tolerations"] = new JsonArray(
            new JsonObject { ["key"] = "CriticalAddonsOnly", ["operator"] = "Exists" },
            new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["effect"] = "NoSchedule" }),
        ["nodeSelector"] = new JsonObject { ["kubernetes.io/os"] = "linux" },
        ["containers"] = new JsonArray(new JsonObject
        {
            ["name"] = AddonName,
            ["image"] = Image,
            ["imagePullPolicy"] = "IfNotPresent",
            ["resources"] = new JsonObject
            {
                ["limits"] = new JsonObject { ["memory"] = "170Mi" },
                ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "70Mi" },
            },
            ["args"] = new JsonArray("-conf", "/etc/coredns/Corefile"),
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "config-volume", ["mountPath"] = "/etc/coredns", ["readOnly"] = true }),
            ["ports"] = new JsonArray(
                Port(53, "dns", "UDP"),
                Port(53, "dns-tcp", "TCP"),
                Port(9153, "metrics", "TCP"),
                Port(8080, "liveness-probe", "TCP"),
                Port(8181, "readiness-probe", "TCP")),
            ["livenessProbe"] = new JsonObject
            {
                ["httpGet"] = new JsonObject { ["path"] = "/health", ["port"] = "liveness-probe", ["scheme"] = "HTTP" },
                ["initialDelaySeconds"] = 60,
                ["timeoutSeconds"] = 5,
                ["successThreshold"] = 1,
                ["failureThreshold"] = 5,
            },
            ["readinessProbe"] = new JsonObject
            {
                ["httpGet"] = new JsonObject { ["path"] = "/ready", ["port"] = "readiness-probe", ["scheme"] = "HTTP" },
            },
            ["securityContext"] = new JsonObject
            {
                ["allowPrivilegeEscalation"] = false,
                ["capabilities"] = new JsonObject { ["add"] = new JsonArray("NET_BIND_SERVICE"), ["drop"] = new JsonArray("ALL") },
                ["readOnlyRootFilesystem"] = true,
            },
        }),
        ["dnsPolicy"] = "Default",
        ["volumes"] = new JsonArray(new JsonObject
        {
            ["name"] = "config-volume",
            ["configMap"] = new JsonObject
            {
                ["name"] = AddonName,
                ["items"] = new JsonArray(new JsonObject { ["key"] = "Corefile", ["path"] = "Corefile" }),
            },
        }),
    };

    private static JsonObject Port(int port, string name, string protocol) =>
        new() { ["containerPort"] = port, ["name"] = name, ["protocol"] = protocol };
}
