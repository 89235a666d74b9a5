using Akka.KubeEmu.Actors.Api;
using Microsoft.AspNetCore.Http;

namespace Akka.KubeEmu.Host.ApiServer.Exec;

/// <summary>PodExecOptions / PodAttachOptions from the query, checked as kube-apiserver's validation does.</summary>
public sealed record ExecOptions(IReadOnlyList<string> Command, string? Container, bool Stdin, bool Stdout, bool Stderr, bool Tty)
{
    public static (ExecOptions? Options, ApiStatus? Invalid) Parse(IQueryCollection query, bool attach)
    {
        var command = query["command"].Where(c => c is not null).Select(c => c!).ToArray();
        var options = new ExecOptions(command, query["container"].FirstOrDefault() is { Length: > 0 } c ? c : null,
            Flag(query, "stdin"), Flag(query, "stdout"), Flag(query, "stderr"), Flag(query, "tty"));
        if (!attach && command.Length == 0) return (null, ApiStatus.BadRequest("you must specify at least 1 command"));
        if (!options.Stdin && !options.Stdout && !options.Stderr)
            return (null, ApiStatus.BadRequest("you must specify at least one of stdin, stdout, stderr"));
        return (options, null);
    }

    private static bool Flag(IQueryCollection query, string name) => Handlers.QueryOptions.Bool(query, name);
}
