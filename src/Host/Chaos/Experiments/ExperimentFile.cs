using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Akka.KubeEmu.Host.Chaos.Experiments;

/// <summary>Reads an experiment file and refuses, naming the line, what it cannot run.</summary>
public static class ExperimentFile
{
    private static readonly string[] Keys = ["name", "description", "repeat", "sampleInterval", "setup", "steps", "teardown", "invariants"];

    public static Experiment Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ExperimentException($"{path}: no such file");
        var yaml = new YamlStream();
        try
        {
            using var reader = new StringReader(File.ReadAllText(full));
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new ExperimentException($"{path}: line {e.Start.Line}: {e.Message}");
        }
        if (yaml.Documents.Count != 1 || yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new ExperimentException($"{path}: an experiment is one YAML mapping (name, steps, ...)");

        foreach (var key in root.Children.Keys.OfType<YamlScalarNode>())
            if (!Keys.Contains(key.Value)) throw new ExperimentException($"{path}: line {key.Start.Line}: unknown key {key.Value} (one of {string.Join(", ", Keys)})");

        var name = Scalar(root, "name") ?? Path.GetFileNameWithoutExtension(full);
        var repeat = 1;
        if (Scalar(root, "repeat") is { } r && (!int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out repeat) || repeat < 1))
            throw new ExperimentException($"{path}: repeat must be a whole number of at least 1, not {r}");
        var interval = TimeSpan.FromMilliseconds(500);
        if (Scalar(root, "sampleInterval") is { } s && (!ExperimentDuration.TryParse(s, out interval) || interval <= TimeSpan.Zero))
            throw new ExperimentException($"{path}: sampleInterval {s} is not a duration (500ms, 1s)");

        var steps = Steps(path, root, "steps");
        if (steps.Count == 0) throw new ExperimentException($"{path}: no steps");
        return new Experiment(name, Scalar(root, "description"), repeat, interval, Steps(path, root, "setup"), steps, Steps(path, root, "teardown"),
            Invariants(path, root), Path.GetDirectoryName(full)!);
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;

    private static List<ExperimentStep> Steps(string path, YamlMappingNode root, string key)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node)) return [];
        if (node is not YamlSequenceNode list) throw new ExperimentException($"{path}: line {node.Start.Line}: {key} is a list of steps");
        var steps = new List<ExperimentStep>();
        foreach (var item in list)
        {
            var line = (int)item.Start.Line;
            if (item is not YamlMappingNode step) throw new ExperimentException($"{path}: line {line}: a step is a mapping such as `kill: node-2`");
            string? verb = null, argument = null;
            TimeSpan? within = null;
            foreach (var (k, v) in step.Children)
            {
                var keyText = ((YamlScalarNode)k).Value!;
                var value = (v as YamlScalarNode)?.Value ?? throw new ExperimentException($"{path}: line {line}: {keyText} takes a single value");
                if (keyText == "within")
                {
                    if (!ExperimentDuration.TryParse(value, out var w)) throw new ExperimentException($"{path}: line {line}: within {value} is not a duration");
                    within = w;
                }
                else if (ExperimentStep.Verbs.Contains(keyText))
                {
                    if (verb is not null) throw new ExperimentException($"{path}: line {line}: one verb per step ({verb} and {keyText})");
                    (verb, argument) = (keyText, value);
                }
                else throw new ExperimentException($"{path}: line {line}: unknown step {keyText} (one of {string.Join(", ", ExperimentStep.Verbs)}, with `within` for wait)");
            }
            if (verb is null || string.IsNullOrWhiteSpace(argument)) throw new ExperimentException($"{path}: line {line}: a step needs a verb and its argument");
            if (within is not null && verb != "wait") throw new ExperimentException($"{path}: line {line}: within belongs to wait steps");
            if (verb == "wait") Condition.Parse(argument);
            if (verb == "hold" && !ExperimentDuration.TryParse(argument, out _)) throw new ExperimentException($"{path}: line {line}: hold {argument} is not a duration");
            steps.Add(new ExperimentStep(verb, argument.Trim(), within, line));
        }
        return steps;
    }

    private static List<Invariant> Invariants(string path, YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("invariants"), out var node)) return [];
        if (node is not YamlSequenceNode list) throw new ExperimentException($"{path}: invariants is a list");
        var invariants = new List<Invariant>();
        foreach (var item in list)
        {
            var text = (item as YamlScalarNode)?.Value?.Trim() ?? throw new ExperimentException($"{path}: line {item.Start.Line}: an invariant is one line of text");
            var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            invariants.Add(words switch
            {
                ["applied-objects-kept"] => new Invariant(text, null, BuiltInInvariant.AppliedObjectsKept, null),
                ["one-pod-per-ordinal", var set] when set.StartsWith("statefulset/", StringComparison.Ordinal) || set.StartsWith("sts/", StringComparison.Ordinal) =>
                    new Invariant(text, null, BuiltInInvariant.OnePodPerOrdinal, set[(set.IndexOf('/') + 1)..]),
                _ => new Invariant(text, Condition.Parse(text), null, null),
            });
        }
        return invariants;
    }
}
