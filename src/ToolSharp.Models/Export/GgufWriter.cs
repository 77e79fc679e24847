using System.Buffers.Binary;
using System.Text;

namespace ToolSharp.Models.Export;

/// <summary>Writes GGUF version 3 files: typed metadata key/values, then tensor infos, then aligned tensor data.</summary>
/// <remarks>
/// Layout (little-endian): magic "GGUF", version u32, tensor count u64, metadata count u64; each key as a u64-length
/// UTF-8 string, a u32 value type and the value (arrays: element type u32, count u64, elements); each tensor as name,
/// dimension count u32, dimensions u64 innermost first, ggml type u32, and data offset u64 relative to the data
/// section, which starts at the next multiple of <c>general.alignment</c> (32) and holds each tensor padded to it.
/// </remarks>
public sealed class GgufWriter
{
    public const uint Version = 3;
    public const int Alignment = 32;

    private readonly List<(string Key, GgufValueType Type, object Value)> _metadata = [];
    private readonly List<(string Name, long[] Dims, GgmlType Type, byte[] Data)> _tensors = [];

    public void Add(string key, string value) => Put(key, GgufValueType.String, value);

    public void Add(string key, uint value) => Put(key, GgufValueType.UInt32, value);

    public void Add(string key, int value) => Put(key, GgufValueType.Int32, value);

    public void Add(string key, float value) => Put(key, GgufValueType.Float32, value);

    public void Add(string key, bool value) => Put(key, GgufValueType.Bool, value);

    public void Add(string key, IReadOnlyList<string> values) => Put(key, GgufValueType.Array, (GgufValueType.String, (object)values));

    public void Add(string key, IReadOnlyList<int> values) => Put(key, GgufValueType.Array, (GgufValueType.Int32, (object)values));

    /// <summary>Adds a tensor given in row-major order with its shape outermost first (as PyTorch and safetensors give it).</summary>
    public void AddTensor(string name, int[] shape, ReadOnlySpan<float> data, GgmlType type)
    {
        if (_tensors.Any(t => t.Name == name)) throw new ArgumentException($"tensor '{name}' added twice");
        var bytes = new byte[data.Length * (type == GgmlType.F32 ? 4 : 2)];
        for (var i = 0; i < data.Length; i++)
        {
            if (type == GgmlType.F32) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
            else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), BitConverter.HalfToUInt16Bits((Half)data[i]));
        }
        _tensors.Add((name, shape.Reverse().Select(d => (long)d).ToArray(), type, bytes));
    }

    public void Write(Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write("GGUF"u8);
        w.Write(Version);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_metadata.Count);
        foreach (var (key, type, value) in _metadata)
        {
            WriteString(w, key);
            w.Write((uint)type);
            WriteValue(w, type, value);
        }
        ulong offset = 0;
        foreach (var (name, dims, type, data) in _tensors)
        {
            WriteString(w, name);
            w.Write((uint)dims.Length);
            foreach (var d in dims) w.Write((ulong)d);
            w.Write((uint)type);
            w.Write(offset);
            offset += (ulong)Padded(data.Length);
        }
        Pad(w);
        foreach (var (_, _, _, data) in _tensors)
        {
            w.Write(data);
            Pad(w);
        }
    }

    private void Put(string key, GgufValueType type, object value)
    {
        if (_metadata.Any(m => m.Key == key)) throw new ArgumentException($"metadata key '{key}' added twice");
        _metadata.Add((key, type, value));
    }

    private static long Padded(long length) => (length + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter w)
    {
        w.Flush();
        var position = w.BaseStream.Position;
        for (var i = position; i < Padded(position); i++) w.Write((byte)0);
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteValue(BinaryWriter w, GgufValueType type, object value)
    {
        switch (type)
        {
            case GgufValueType.String: WriteString(w, (string)value); break;
            case GgufValueType.UInt32: w.Write((uint)value); break;
            case GgufValueType.Int32: w.Write((int)value); break;
            case GgufValueType.Float32: w.Write((float)value); break;
            case GgufValueType.Bool: w.Write((byte)((bool)value ? 1 : 0)); break;
            case GgufValueType.Array:
                var (elementType, items) = ((GgufValueType, object))value;
                w.Write((uint)elementType);
                if (items is IReadOnlyList<string> strings)
                {
                    w.Write((ulong)strings.Count);
                    foreach (var s in strings) WriteString(w, s);
                }
                else
                {
                    var ints = (IReadOnlyList<int>)items;
                    w.Write((ulong)ints.Count);
                    foreach (var i in ints) w.Write(i);
                }
                break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "not written by this writer");
        }
    }
}
