using System.Globalization;
using System.Text.RegularExpressions;

namespace Akka.KubeEmu.Actors.Node.Runtime;

/// <summary>
/// What a simulated container does once started: run for a while (or forever) and exit with a
/// code; and whether it stops promptly on SIGTERM (servers do; `sleep` and `sh` as PID 1 ignore
/// it and are killed when the grace period ends, exit 137).
/// </summary>
public sealed record ContainerProgram(TimeSpan? RunFor, int ExitCode, bool HandlesSigterm)
{
    public static readonly ContainerProgram Server = new(null, 0, true);

    /// <summary>How long an unknown command runs when it is expected to finish (init containers, Jobs).</summary>
    public static readonly TimeSpan ShortRun = TimeSpan.FromSeconds(1);

    public static ContainerProgram Exits(int code, TimeSpan after = default, bool handlesSigterm = true) =>
        new(after, code, handlesSigterm);

    public bool RunsForever => RunFor is null;
}

/// <summary>
/// Reads a container's command and args with the small vocabulary of DESIGN.md section 4:
/// <c>sleep N</c>, <c>exit N</c>, <c>true</c>, <c>false</c>, <c>echo ...</c>, <c>sh -c</c> scripts
/// of these and endless <c>while true</c> loops. Anything else runs like a real program would be
/// expected to: briefly where something waits for it to finish, forever elsewhere.
/// </summary>
public static partial class ContainerPrograms
{
    private static readonly HashSet<string> Shells = ["sh", "bash", "ash", "dash", "zsh"];
    private static readonly HashSet<string> Instant = ["echo", "printf", "date", "env", "hostname", "ls", "pwd", "whoami", "id", "uname", "cat", "nslookup", "wget", "curl", "touch", "mkdir", "cp", "mv", "rm", "chmod", "chown", "tee"];

    /// <param name="expectedToFinish">An init container, or a pod whose restartPolicy is Never or OnFailure.</param>
    public static ContainerProgram For(IReadOnlyList<string> command, IReadOnlyList<string> args, CatalogImage image, bool expectedToFinish)
    {
        var tokens = command.Concat(args).ToList();
        if (tokens.Count == 0)
            return image.Behaviour switch
            {
                ImageBehaviour.Exit => ContainerProgram.Exits(0),
                ImageBehaviour.Run => ContainerProgram.Exits(0, image.RunFor),
                _ => ContainerProgram.Server,
            };
        var program = Path.GetFileName(tokens[0]);
        if (Shells.Contains(program))
        {
            var script = tokens.SkipWhile(t => t != "-c").Skip(1).FirstOrDefault();
            return script is null ? ContainerProgram.Exits(0) : Script(script, expectedToFinish);
        }
        return Statement(tokens, expectedToFinish) ?? Unknown(expectedToFinish);
    }

    private static ContainerProgram Unknown(bool expectedToFinish) =>
        expectedToFinish ? ContainerProgram.Exits(0, ContainerProgram.ShortRun) : ContainerProgram.Server;

    /// <summary>One simple command; null when it is outside the vocabulary.</summary>
    private static ContainerProgram? Statement(IReadOnlyList<string> tokens, bool expectedToFinish)
    {
        if (tokens.Count == 0) return ContainerProgram.Exits(0);
        var program = Path.GetFileName(tokens[0]);
        switch (program)
        {
            case "sleep":
                if (tokens.Count > 1 && tokens[1] == "infinity") return new ContainerProgram(null, 0, false);
                return ContainerProgram.Exits(0, tokens.Count > 1 ? Duration(tokens[1]) : TimeSpan.Zero, handlesSigterm: false);
            case "true" or ":":
                return ContainerProgram.Exits(0);
            case "false":
                return ContainerProgram.Exits(1);
            case "exit":
                return ContainerProgram.Exits(tokens.Count > 1 && int.TryParse(tokens[1], out var code) ? code : 0);
            default:
                if (Instant.Contains(program)) return ContainerProgram.Exits(0);
                return Shells.Contains(program) && tokens.Count > 2 && tokens[1] == "-c"
                    ? Script(tokens[2], expectedToFinish)
                    : null;
        }
    }

    /// <summary>A shell script: statements run in order; a loop that never ends makes the container run forever.</summary>
    private static ContainerProgram Script(string script, bool expectedToFinish)
    {
        var text = script.Trim();
        if (EndlessLoop().IsMatch(text)) return new ContainerProgram(null, 0, HandlesSigterm: text.Contains("trap "));
        var total = TimeSpan.Zero;
        var exit = 0;
        foreach (var raw in Separators().Split(text))
        {
            var tokens = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0 || tokens[0] is "do" or "done" or "then" or "fi") continue;
            var step = Statement(tokens, expectedToFinish) ?? Unknown(expectedToFinish);
            if (step.RunsForever) return new ContainerProgram(null, 0, false);
            total += step.RunFor!.Value;
            exit = step.ExitCode;
            if (tokens[0] == "exit") break;
        }
        return new ContainerProgram(total, exit, HandlesSigterm: text.Contains("trap "));
    }

    private static TimeSpan Duration(string text)
    {
        var match = SleepArgument().Match(text);
        if (!match.Success) return TimeSpan.Zero;
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "m" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            "d" => TimeSpan.FromDays(value),
            _ => TimeSpan.FromSeconds(value),
        };
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)([smhd]?)$")]
    private static partial Regex SleepArgument();

    [GeneratedRegex(@"\bwhile\s+(true|:|\[\s*1\s*\])\s*;?\s*do\b|\buntil\s+false\b")]
    private static partial Regex EndlessLoop();

    [GeneratedRegex(@";|&&|\|\||\n")]
    private static partial Regex Separators();
}
