using System.Collections.Frozen;

namespace Akka.KubeEmu.Actors.Api.Protobuf;

public enum ProtoLabel { Optional, Repeated, Map }

/// <summary>One field of a message as generated.proto declares it, with the JSON facts from the Go tags.</summary>
/// <param name="JsonName">The field's JSON name, or null when Go inlines the struct into its parent.</param>
/// <param name="Type">A scalar (string, bool, int32...) or a fully qualified message name; for maps, the value type.</param>
/// <param name="KeepZero">A zero value reaches JSON (pointer fields, fields without omitempty).</param>
public sealed record ProtoField(int Number, string? JsonName, ProtoLabel Label, string Type, bool KeepZero);

/// <param name="IsList">A named Go slice (ExtraValue): its one repeated field is the JSON value itself.</param>
public sealed record ProtoMessage(string Name, bool IsList, FrozenDictionary<int, ProtoField> Fields);

/// <summary>
/// The protobuf shape of the served API types, from the table that
/// <c>scripts/dev/generate-proto-schema.py</c> derives from k8s.io/api and k8s.io/apimachinery.
/// </summary>
public static class ProtoSchema
{
    private static readonly Lazy<FrozenDictionary<string, ProtoMessage>> Messages = new(Load);

    public static ProtoMessage? Find(string fullName) => Messages.Value.GetValueOrDefault(fullName);

    /// <summary>The message a group/version/kind is encoded as: k8s.io.api.&lt;group's first label&gt;.&lt;version&gt;.&lt;kind&gt;.</summary>
    public static ProtoMessage? ForKind(string apiVersion, string kind)
    {
        // DeleteOptions is registered in every group version (the one meta kind sent as a body).
        if (kind == "DeleteOptions") return Find($"{MetaV1}.DeleteOptions");
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var package = group.Length == 0 ? "core" : group.Split('.')[0];
        return Find($"k8s.io.api.{package}.{version}.{kind}");
    }

    public const string MetaV1 = "k8s.io.apimachinery.pkg.apis.meta.v1";

    private static FrozenDictionary<string, ProtoMessage> Load()
    {
        using var stream = typeof(ProtoSchema).Assembly.GetManifestResourceStream("proto-schema.txt")
            ?? throw new InvalidOperationException("proto-schema.txt is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        var messages = new Dictionary<string, ProtoMessage>();
        string? name = null;
        var isList = false;
        var fields = new Dictionary<int, ProtoField>();
        void Flush()
        {
            if (name is not null) messages[name] = new ProtoMessage(name, isList, fields.ToFrozenDictionary());
            fields = [];
        }
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "m":
                    Flush();
                    name = parts[1];
                    isList = parts.Length > 2 && parts[2] == "list";
                    break;
                case "f":
                    var label = parts[3] switch { "rep" => ProtoLabel.Repeated, "map" => ProtoLabel.Map, _ => ProtoLabel.Optional };
                    // Map keys are strings in every Kubernetes type; only the value type matters.
                    var type = label == ProtoLabel.Map ? parts[4][(parts[4].IndexOf(',') + 1)..] : parts[4];
                    var number = int.Parse(parts[1]);
                    fields[number] = new ProtoField(number, parts[2] == "-" ? null : parts[2], label, type, parts.Length > 5 && parts[5] == "z");
                    break;
            }
        }
        Flush();
        return messages.ToFrozenDictionary();
    }
}
