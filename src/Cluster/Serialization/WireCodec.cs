using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;

namespace Akka.KubeEmu.Cluster.Serialization;

/// <summary>
/// A message's own compact binary form, for the hot cross-process messages that are mostly one object's
/// JSON (the Store's answers, watch batches, writes). In a JSON envelope the receiver had to tokenize every
/// embedded object to find where it ends; here its bytes are length-prefixed and copied as they are.
/// Only for messages that never reach a journal: the manifests of journal events are the on-disk format
/// and stay JSON.
/// </summary>
public interface IWireCodec
{
    byte[] Write(object message);

    object Read(ReadOnlySpan<byte> bytes);
}

/// <summary>A <see cref="IWireCodec"/> of one message type, with its format version as the first byte.</summary>
public abstract class WireCodec<T> : IWireCodec where T : class
{
    private const byte Version = 1;

    public byte[] Write(object message)
    {
        var writer = new WireWriter();
        writer.Byte(Version);
        Write((T)message, writer);
        return writer.ToArray();
    }

    public object Read(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        if (reader.Byte() != Version) throw new SerializationException($"{typeof(T).Name}: unknown wire format version");
        var message = Read(ref reader);
        reader.EnsureEnd();
        return message;
    }

    protected abstract void Write(T message, WireWriter writer);

    protected abstract T Read(ref WireReader reader);
}

/// <summary>Little-endian, length-prefixed fields (strings in UTF-8, -1 for null).</summary>
public sealed class WireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public void Byte(byte value) => _buffer.Write([value]);

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void Int(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void String(string? value)
    {
        if (value is null)
        {
            Int(-1);
            return;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        Int(length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    public void Json(RawJson value)
    {
        Int(value.Utf8.Length);
        _buffer.Write(value.Utf8);
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}

/// <summary>Reads what <see cref="WireWriter"/> wrote; a truncated or malformed message is a <see cref="SerializationException"/>.</summary>
public ref struct WireReader(ReadOnlySpan<byte> bytes)
{
    private ReadOnlySpan<byte> _rest = bytes;

    public byte Byte() => Take(1)[0];

    public bool Bool() => Byte() switch
    {
        0 => false,
        1 => true,
        _ => throw new SerializationException("malformed wire message: a boolean that is neither 0 nor 1"),
    };

    public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public string? String()
    {
        var length = Int();
        return length == -1 ? null : Encoding.UTF8.GetString(Take(Length(length)));
    }

    public RawJson Json() => new(Take(Length(Int())).ToArray());

    public readonly void EnsureEnd()
    {
        if (!_rest.IsEmpty) throw new SerializationException($"malformed wire message: {_rest.Length} bytes after its end");
    }

    private static int Length(int length) =>
        length >= 0 ? length : throw new SerializationException("malformed wire message: a negative length");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _rest.Length) throw new SerializationException("malformed wire message: it ends early");
        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }
}
