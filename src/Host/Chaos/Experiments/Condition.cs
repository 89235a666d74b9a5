using System.Globalization;

namespace Akka.KubeEmu.Host.Chaos.Experiments;

/// <summary>
/// A condition on the cluster, as `wait` steps and invariants write it:
/// <c>deployment/nginx available 3</c>, <c>statefulset/web ready &gt;= 2</c>,
/// <c>pods app=nginx running 3</c>, <c>node/victim ready Unknown</c>; <c>-n NAMESPACE</c> anywhere
/// picks the namespace (default: default). Numbers compare with ==, &gt;=, &lt;=, &gt; or &lt; (== when none is given).
/// </summary>
public sealed record Condition(string Text, ConditionSubject Subject, string Kind, string Name, string Namespace, string Field, string Op, string Expected)
{
    private static readonly Dictionary<string, string> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["deployment"] = "deployment", ["deploy"] = "deployment", ["deployments"] = "deployment",
        ["statefulset"] = "statefulset", ["sts"] = "statefulset", ["statefulsets"] = "statefulset",
        ["daemonset"] = "daemonset", ["ds"] = "daemonset", ["daemonsets"] = "daemonset",
        ["replicaset"] = "replicaset", ["rs"] = "replicaset", ["replicasets"] = "replicaset",
        ["job"] = "job", ["jobs"] = "job",
    };

    /// <summary>The status fields a condition may name, per kind, as kubectl's columns call them.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Fields = new Dictionary<string, string[]>
    {
        ["deployment"] = ["replicas", "ready", "available", "updated", "unavailable"],
        ["statefulset"] = ["replicas", "ready", "available", "current", "updated"],
        ["daemonset"] = ["desired", "current", "ready", "available", "updated", "misscheduled"],
        ["replicaset"] = ["replicas", "ready", "available"],
        ["job"] = ["active", "ready", "succeeded", "failed"],
        ["pods"] = ["count", "running", "ready", "pending", "terminating"],
    };

    private static readonly string[] Ops = ["==", ">=", "<=", ">", "<"];

    private static readonly string[] NodeStatuses = ["True", "False", "Unknown", "NotTrue"];

    public static Condition Parse(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var ns = "default";
        var n = words.IndexOf("-n");
        if (n >= 0)
        {
            if (n + 1 >= words.Count) throw new ExperimentException($"\"{text}\": -n needs a namespace");
            ns = words[n + 1];
            words.RemoveRange(n, 2);
        }
        if (words.Count < 3) throw new ExperimentException($"\"{text}\": expected KIND/NAME FIELD [OP] VALUE, pods SELECTOR FIELD [OP] VALUE or node/NAME ready STATUS");

        var (op, expected) = words.Count >= 4 && Ops.Contains(words[^2]) ? (words[^2], words[^1]) : ("==", words[^1]);
        var field = words.Count >= 4 && Ops.Contains(words[^2]) ? words[^3] : words[^2];
        var head = words[0];

        if (head.StartsWith("node/", StringComparison.OrdinalIgnoreCase))
        {
            if (field != "ready" || op != "==" || !NodeStatuses.Contains(expected))
                throw new ExperimentException($"\"{text}\": a node condition is node/NAME ready True|False|Unknown|NotTrue");
            return new Condition(text, ConditionSubject.Node, "node", head["node/".Length..], "", field, op, expected);
        }
        if (!int.TryParse(expected, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw new ExperimentException($"\"{text}\": {expected} is not a number");
        if (head == "pods")
        {
            if (words.Count < 4) throw new ExperimentException($"\"{text}\": pods needs a label selector: pods app=nginx running 3");
            Check(text, "pods", field);
            return new Condition(text, ConditionSubject.Pods, "pods", words[1], ns, field, op, expected);
        }
        var slash = head.IndexOf('/');
        if (slash <= 0 || !Kinds.TryGetValue(head[..slash], out var kind))
            throw new ExperimentException($"\"{text}\": unknown kind in {head} (deployment, statefulset, daemonset, replicaset, job, node or pods)");
        Check(text, kind, field);
        return new Condition(text, ConditionSubject.Workload, kind, head[(slash + 1)..], ns, field, op, expected);
    }

    public bool Compare(long actual)
    {
        var want = long.Parse(Expected, CultureInfo.InvariantCulture);
        return Op switch
        {
            ">=" => actual >= want,
            "<=" => actual <= want,
            ">" => actual > want,
            "<" => actual < want,
            _ => actual == want,
        };
    }

    public override string ToString() => Text;

    private static void Check(string text, string kind, string field)
    {
        if (!Fields[kind].Contains(field))
            throw new ExperimentException($"\"{text}\": {kind} has no field {field} (one of {string.Join(", ", Fields[kind])})");
    }
}

public enum ConditionSubject
{
    Workload,
    Pods,
    Node,
}

/// <summary>An experiment file that cannot run as written.</summary>
public sealed class ExperimentException(string message) : Exception(message);
