using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Cel;
using Cel.Internal;

namespace Akka.KubeEmu.Actors.Api.CustomResources.ValidationRules;

/// <summary>A rule (or messageExpression) ready to run, and whether it is a transition rule (reads oldSelf).</summary>
public sealed record CompiledRule(CelProgramDelegate Program, bool UsesOldSelf);

/// <summary>
/// Compiles x-kubernetes-validations expressions with the Cel package and the Kubernetes library, and
/// does the part of cel-go's checker that the Cel package (dynamically typed) leaves out and that users
/// meet first: undeclared references (unknown functions or variables) and fields the schema does not
/// declare. Its errors are worded as kube-apiserver's "compilation failed: ERROR: &lt;input&gt;:1:5: ..." .
/// Programs are cached by text: a CRD's rules run on every write of its objects.
/// </summary>
public static partial class RuleCompiler
{
    private static readonly object Gate = new();
    private static readonly CelEnvironment Environment = CreateEnvironment();
    private static readonly ConcurrentDictionary<string, CompiledRule> Programs = new(StringComparer.Ordinal);
    private static readonly string[] ResourceRootFields = ["apiVersion", "kind", "metadata"];

    /// <summary>The compiled rule, or null with the error detail ("compilation failed: ..."), as the CRD's validation checks it.</summary>
    public static CompiledRule? Compile(string expression, JsonObject? schema, bool resourceRoot, out string? error)
    {
        error = Check(expression, schema, resourceRoot);
        return error is null ? Runnable(expression, out error) : null;
    }

    /// <summary>The program of a rule the CRD's validation accepted (cached), or null with the error.</summary>
    public static CompiledRule? Runnable(string expression, out string? error)
    {
        error = null;
        if (Programs.TryGetValue(expression, out var cached)) return cached;
        lock (Gate)
        {
            try
            {
                var program = Environment.Compile(expression);
                var usesOldSelf = Identifiers(Environment.Parse(expression)).Contains("oldSelf");
                return Programs.GetOrAdd(expression, new CompiledRule(program, usesOldSelf));
            }
            catch (Exception e) when (e is CelException or ArgumentException)
            {
                error = "compilation failed: " + SyntaxErrors(expression, e.Message);
                return null;
            }
        }
    }

    private static CelEnvironment CreateEnvironment()
    {
        var env = new CelEnvironment(null, null);
        KubernetesCelLibrary.Register(env);
        return env;
    }

    private static string? Check(string expression, JsonObject? schema, bool resourceRoot)
    {
        CelParser.StartContext tree;
        try
        {
            lock (Gate) tree = Environment.Parse(expression);
        }
        catch (CelExpressionParserException e)
        {
            return "compilation failed: " + SyntaxErrors(expression, e.Message);
        }
        var variables = new HashSet<string>(StringComparer.Ordinal) { "self", "oldSelf" };
        CollectMacroVariables(tree, variables);
        var issues = new List<string>();
        Walk(tree, expression, variables, schema, resourceRoot, issues);
        return issues.Count == 0 ? null : "compilation failed: " + string.Join("\n", issues);
    }

    private static IEnumerable<string> Identifiers(IParseTree tree)
    {
        if (tree is CelParser.IdentOrGlobalCallContext { op: null } ident) yield return ident.id.Text;
        for (var i = 0; i < tree.ChildCount; i++)
            foreach (var id in Identifiers(tree.GetChild(i))) yield return id;
    }

    // The comprehension macros (all, exists, exists_one, map, filter) bind their first argument.
    private static void CollectMacroVariables(IParseTree tree, HashSet<string> variables)
    {
        if (tree is CelParser.MemberCallContext { args: { } args } call && call.id.Text is "all" or "exists" or "exists_one" or "map" or "filter"
            && args._e.Count >= 2 && Identifiers(args._e[0]).ToArray() is [var bound])
            variables.Add(bound);
        for (var i = 0; i < tree.ChildCount; i++) CollectMacroVariables(tree.GetChild(i), variables);
    }

    private static void Walk(IParseTree tree, string expression, HashSet<string> variables, JsonObject? schema, bool resourceRoot, List<string> issues)
    {
        switch (tree)
        {
            case CelParser.IdentOrGlobalCallContext ident:
                var name = ident.id.Text;
                var known = ident.op is null
                    ? variables.Contains(name) || KubernetesCelLibrary.TypeNames.Contains(name)
                    : KubernetesCelLibrary.Functions.Contains(name);
                if (!known) issues.Add(Issue(expression, ident.id, $"undeclared reference to '{name}' (in container '')"));
                break;
            case CelParser.MemberCallContext call when !KubernetesCelLibrary.Functions.Contains(call.id.Text):
                issues.Add(Issue(expression, call.id, $"undeclared reference to '{call.id.Text}' (in container '')"));
                break;
            case CelParser.SelectContext select:
                if (FieldSchema(select.member(), schema, resourceRoot, out var parentRoot) is { } parent
                    && UndefinedField(parent, select.id.Text, parentRoot))
                    issues.Add(Issue(expression, select.op, $"undefined field '{select.id.Text}'"));
                break;
        }
        for (var i = 0; i < tree.ChildCount; i++) Walk(tree.GetChild(i), expression, variables, schema, resourceRoot, issues);
    }

    // The schema of a self.a.b chain, or null when the chain does not start at self/oldSelf or leaves the declared fields.
    private static JsonObject? FieldSchema(CelParser.MemberContext member, JsonObject? schema, bool resourceRoot, out bool isResourceRoot)
    {
        isResourceRoot = false;
        switch (member)
        {
            case CelParser.PrimaryExprContext primary
                when primary.primary() is CelParser.IdentOrGlobalCallContext { op: null } ident && ident.id.Text is "self" or "oldSelf":
                isResourceRoot = resourceRoot;
                return schema;
            case CelParser.SelectContext select when FieldSchema(select.member(), schema, resourceRoot, out _) is { } parent:
                var child = (parent["properties"] as JsonObject)?[select.id.Text] as JsonObject ?? parent["additionalProperties"] as JsonObject;
                isResourceRoot = child is not null && child["x-kubernetes-embedded-resource"] is JsonValue e && e.TryGetValue<bool>(out var b) && b;
                return child;
            default:
                return null;
        }
    }

    private static bool UndefinedField(JsonObject schema, string field, bool resourceRoot)
    {
        if (resourceRoot && ResourceRootFields.Contains(field)) return false;
        if (schema["additionalProperties"] is not null) return false;
        if (schema["x-kubernetes-preserve-unknown-fields"] is JsonValue p && p.TryGetValue<bool>(out var preserve) && preserve) return false;
        if ((schema["type"] as JsonValue)?.GetValue<string>() is not "object") return false;
        return (schema["properties"] as JsonObject)?.ContainsKey(field) != true;
    }

    private static string Issue(string expression, IToken at, string message) =>
        $"ERROR: <input>:{at.Line}:{at.Column + 1}: {message}" + Snippet(expression, at.Line, at.Column);

    // cel-go quotes the source line under each error with a caret at the column.
    private static string Snippet(string expression, int line, int column)
    {
        var lines = expression.Split('\n');
        var text = line >= 1 && line <= lines.Length ? lines[line - 1] : "";
        return $"\n | {text}\n | {new string('.', Math.Max(0, column))}^";
    }

    // The parser's "Line 1:16 mismatched input ..." lines, as cel-go's "ERROR: <input>:1:17: Syntax error: ...".
    private static string SyntaxErrors(string expression, string message) =>
        string.Join("\n", message.Split(System.Environment.NewLine).Select(m => AntlrError().Match(m) is { Success: true } match
            ? $"ERROR: <input>:{match.Groups[1].Value}:{int.Parse(match.Groups[2].Value) + 1}: Syntax error: {match.Groups[3].Value}"
              + Snippet(expression, int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value))
            : "ERROR: <input>:1:1: Syntax error: " + m));

    [GeneratedRegex(@"^Line (\d+):(\d+) (.*)$", RegexOptions.Singleline)]
    private static partial Regex AntlrError();
}
