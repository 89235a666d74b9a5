namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

// bash's [[ ]]: its && and || short-circuit, so an operand after a false `-f file &&` is never
// expanded (its $(<file) is not read), and xtrace shows each term that was evaluated on its own.
internal sealed partial class ShellInterpreter
{
    private void Conditional(IReadOnlyList<string> raw)
    {
        var terms = new List<(string? Op, List<string> Words)> { (null, []) };
        foreach (var w in raw.Skip(1).Take(raw.Count - 2))
        {
            if (w is "&&" or "||") terms.Add((w, []));
            else terms[^1].Words.Add(w);
        }
        var status = 0;
        var first = true;
        foreach (var (op, words) in terms)
        {
            if (!first && (op == "&&") != (status == 0)) continue;
            first = false;
            var expanded = words.SelectMany(w => Expand(w, split: false)).ToList(); // no field splitting inside [[ ]]
            Trace(Stderr, [], ["[[", .. expanded, "]]"]);
            status = ShellTest.EvaluateDouble(expanded.ToArray(), this);
            if (Exited) return;
        }
        Status = status;
    }
}
