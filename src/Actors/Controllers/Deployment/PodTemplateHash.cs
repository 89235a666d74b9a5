using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Deployment;

/// <summary>
/// pkg/controller's ComputeHash and apimachinery's rand.SafeEncodeString: the pod-template-hash a
/// Deployment gives the ReplicaSet of a template (and that ReplicaSet's name suffix). A 32-bit
/// FNV-1a over a canonical serialisation of the template (Kubernetes hashes its Go structure with
/// spew, which cannot be reproduced here: the names differ from a real cluster's, but a template
/// always gets the same one), followed by the collision count when there is one.
/// </summary>
public static class PodTemplateHash
{
    /// <summary>rand's alphanumerics: no vowels, no confusable characters.</summary>
    public const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;

    public static string Compute(V1PodTemplateSpec? template, int? collisionCount)
    {
        var hash = Fnv1a(FnvOffset, Canonical(template, dropHash: false));
        if (collisionCount is { } count)
        {
            // binary.LittleEndian.PutUint32 into an 8-byte slice: four bytes of count, four zeros.
            var bytes = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, unchecked((uint)count));
            hash = Fnv1a(hash, bytes);
        }
        return SafeEncodeString(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>FNV-1a (32 bits) continued from <paramref name="hash"/>.</summary>
    public static uint Fnv1a(uint hash, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            hash ^= b;
            hash = unchecked(hash * FnvPrime);
        }
        return hash;
    }

    public static uint Fnv1a(ReadOnlySpan<byte> data) => Fnv1a(FnvOffset, data);

    /// <summary>rand.SafeEncodeString: every byte b of <paramref name="s"/> becomes Alphabet[b % 27].</summary>
    public static string SafeEncodeString(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var result = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) result[i] = Alphabet[bytes[i] % Alphabet.Length];
        return new string(result);
    }

    /// <summary>
    /// EqualIgnoreHash: the templates are semantically equal once the pod-template-hash label is
    /// left out (apimachinery's Semantic.DeepEqual: an empty map or list equals a missing one).
    /// </summary>
    public static bool EqualIgnoreHash(V1PodTemplateSpec? a, V1PodTemplateSpec? b) =>
        Canonical(a, dropHash: true).AsSpan().SequenceEqual(Canonical(b, dropHash: true));

    /// <summary>
    /// The template as JSON with object keys in ordinal order and nulls left out (so label and
    /// annotation maps hash the same whatever order they were written in); for comparisons also
    /// without empty maps and lists, and without the pod-template-hash label.
    /// </summary>
    public static byte[] Canonical(V1PodTemplateSpec? template, bool dropHash)
    {
        var node = template is null ? new JsonObject() : KubeModels.ToJsonObject(template);
        if (dropHash && node["metadata"]?["labels"] is JsonObject labels) labels.Remove(DeploymentUtil.PodTemplateHashLabel);
        return CanonicalJson.Bytes(node, dropEmpty: dropHash);
    }
}
