using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Defaulting;

/// <summary>SetDefaults_PodSpec and SetDefaults_Container (pkg/apis/core/v1/defaults.go), for pods and pod templates.</summary>
public static class PodDefaults
{
    public static void Spec(JsonObject spec)
    {
        Default(spec, "restartPolicy", "Always");
        Default(spec, "dnsPolicy", "ClusterFirst");
        Default(spec, "schedulerName", "default-scheduler");
        Default(spec, "terminationGracePeriodSeconds", 30);
        Default(spec, "securityContext", new JsonObject());
        foreach (var list in new[] { "initContainers", "containers", "ephemeralContainers" })
            foreach (var c in (spec[list] as JsonArray)?.OfType<JsonObject>() ?? []) Container(c);
        foreach (var volume in (spec["volumes"] as JsonArray)?.OfType<JsonObject>() ?? []) Volume(volume);
    }

    public static void Container(JsonObject c)
    {
        Default(c, "terminationMessagePath", "/dev/termination-log");
        Default(c, "terminationMessagePolicy", "File");
        if (c["imagePullPolicy"] is null)
        {
            var image = KubeObject.String(c, "image") ?? "";
            var tag = image.Contains('@') ? "digest" : image.LastIndexOf(':') > image.LastIndexOf('/') ? image[(image.LastIndexOf(':') + 1)..] : "latest";
            c["imagePullPolicy"] = tag == "latest" ? "Always" : "IfNotPresent";
        }
        var resources = c["resources"] as JsonObject;
        if (resources is null) c["resources"] = resources = new JsonObject();
        // Requests default to limits where only limits are set.
        if (resources["limits"] is JsonObject limits)
        {
            var requests = resources["requests"] as JsonObject ?? new JsonObject();
            foreach (var (k, v) in limits)
                if (requests[k] is null) requests[k] = v?.DeepClone();
            resources["requests"] = requests;
        }
        foreach (var port in (c["ports"] as JsonArray)?.OfType<JsonObject>() ?? []) Default(port, "protocol", "TCP");
        foreach (var kind in (string[])["livenessProbe", "readinessProbe", "startupProbe"])
            if (c[kind] is JsonObject probe) Probe(probe);
        foreach (var hook in (string[])["postStart", "preStop"])
            if (KubeObject.At(c, $"lifecycle.{hook}.httpGet") is JsonObject http) HttpGet(http);
    }

    /// <summary>SetDefaults_Probe: a zero (or absent) timeout, period or threshold takes the default.</summary>
    private static void Probe(JsonObject probe)
    {
        DefaultZero(probe, "timeoutSeconds", 1);
        DefaultZero(probe, "periodSeconds", 10);
        DefaultZero(probe, "successThreshold", 1);
        DefaultZero(probe, "failureThreshold", 3);
        if (probe["httpGet"] is JsonObject http) HttpGet(http);
    }

    /// <summary>SetDefaults_HTTPGetAction.</summary>
    private static void HttpGet(JsonObject http)
    {
        if (string.IsNullOrEmpty(KubeObject.String(http, "path"))) http["path"] = "/";
        if (string.IsNullOrEmpty(KubeObject.String(http, "scheme"))) http["scheme"] = "HTTP";
    }

    private static void DefaultZero(JsonObject o, string key, long value)
    {
        if (o[key] is null || KubeObject.Long(o[key]) == 0) o[key] = value;
    }

    private static void Volume(JsonObject volume)
    {
        if (volume["configMap"] is JsonObject cm) Default(cm, "defaultMode", 420);
        if (volume["secret"] is JsonObject secret) Default(secret, "defaultMode", 420);
        if (volume["projected"] is JsonObject projected) Default(projected, "defaultMode", 420);
        if (volume["hostPath"] is JsonObject hostPath) Default(hostPath, "type", "");
    }

    /// <summary>Admission for pods (not templates): ServiceAccount and DefaultTolerationSeconds (Priority is PriorityAdmission's).</summary>
    public static void Admit(JsonObject pod, AdmissionSettings settings)
    {
        var spec = KubeObject.EnsureObject(pod, "spec");
        Default(spec, "serviceAccountName", KubeObject.String(spec, "serviceAccount") ?? "default");
        Default(spec, "serviceAccount", KubeObject.String(spec, "serviceAccountName"));
        Default(spec, "enableServiceLinks", true);
        var tolerations = spec["tolerations"] as JsonArray ?? new JsonArray();
        foreach (var key in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
        {
            var tolerated = tolerations.OfType<JsonObject>().Any(t =>
                (KubeObject.String(t, "key") is null or "" && KubeObject.String(t, "operator") == "Exists" || KubeObject.String(t, "key") == key)
                && KubeObject.String(t, "effect") is null or "" or "NoExecute");
            if (!tolerated)
                tolerations.Add(new JsonObject
                {
                    ["key"] = key,
                    ["operator"] = "Exists",
                    ["effect"] = "NoExecute",
                    ["tolerationSeconds"] = settings.DefaultTolerationSeconds,
                });
        }
        spec["tolerations"] = tolerations;
    }

    public static void Default(JsonObject o, string key, JsonNode? value)
    {
        if (o[key] is null) o[key] = value;
    }
}
