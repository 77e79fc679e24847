using ToolSharp.Core.WireFormats;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;

namespace ToolSharp.Models.Checkpoints;

/// <summary>Reads and writes the safetensors format (and sharded <c>*.safetensors.index.json</c> sets), converting to float32.</summary>
/// <remarks>
/// Layout: an 8-byte little-endian header length, a JSON header mapping names to dtype, shape and byte offsets, then the
/// raw little-endian data. Reading accepts F32, F16, BF16 and F64; writing produces F32 (or BF16/F16 on request), with
/// the header padded by spaces to a multiple of 8 bytes as the reference implementation does.
/// </remarks>
public static class SafeTensors
{
    /// <summary>Loads every tensor of a .safetensors file, or of all shards named by an index file.</summary>
    public static Dictionary<string, (int[] Shape, float[] Data)> Load(string path)
    {
        if (path.EndsWith(".index.json", StringComparison.Ordinal)) return LoadSharded(path);
        if (Directory.Exists(path))
        {
            var single = Path.Combine(path, "model.safetensors");
            var index = Path.Combine(path, "model.safetensors.index.json");
            if (File.Exists(single)) return Load(single);
            if (File.Exists(index)) return LoadSharded(index);
            throw new ToolSharpException($"{path}: no model.safetensors or model.safetensors.index.json in this directory");
        }
        if (!File.Exists(path)) throw new ToolSharpException($"{path}: file not found");
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static Dictionary<string, (int[] Shape, float[] Data)> Read(Stream stream, string source)
    {
        Span<byte> lenBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(lenBytes, 8, throwOnEndOfStream: false) < 8)
            throw new InputFormatException(source, "header length", "8 bytes", "a shorter file");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        if (headerLength > 100_000_000) throw new InputFormatException(source, "header length", "a header under 100 MB", $"{headerLength} bytes");
        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) < headerBytes.Length)
            throw new InputFormatException(source, "header", $"{headerLength} bytes", "a truncated file");
        JsonElement header;
        try { header = JsonValues.Parse(Encoding.UTF8.GetString(headerBytes)); }
        catch (JsonException ex) { throw new InputFormatException(source, "header", "JSON", JsonValues.Describe(ex)); }

        var dataStart = 8 + (long)headerLength;
        var result = new Dictionary<string, (int[], float[])>(StringComparer.Ordinal);
        var entries = header.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Select(p => (p.Name, Info: p.Value))
            .OrderBy(e => e.Info.GetProperty("data_offsets")[0].GetInt64())
            .ToList();
        foreach (var (name, info) in entries)
        {
            var dtype = info.GetProperty("dtype").GetString();
            var shape = info.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
            var offsets = info.GetProperty("data_offsets");
            long begin = offsets[0].GetInt64(), end = offsets[1].GetInt64();
            var count = shape.Aggregate(1L, (a, b) => a * b);
            var width = dtype switch
            {
                "F32" => 4,
                "F16" or "BF16" => 2,
                "F64" => 8,
                _ => throw new InputFormatException(source, $"{name}.dtype", "F32, F16, BF16 or F64", $"'{dtype}'"),
            };
            if (end - begin != count * width)
                throw new InputFormatException(source, $"{name}.data_offsets", $"{count * width} bytes for shape [{string.Join(", ", shape)}] {dtype}", $"{end - begin} bytes");
            var raw = new byte[end - begin];
            if (stream.CanSeek) stream.Seek(dataStart + begin, SeekOrigin.Begin);
            if (stream.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false) < raw.Length)
                throw new InputFormatException(source, name, $"{raw.Length} bytes of data", "a truncated file");
            result[name] = (shape, Decode(raw, dtype!, (int)count));
        }
        return result;
    }

    private static Dictionary<string, (int[] Shape, float[] Data)> LoadSharded(string indexPath)
    {
        var index = Core.Json.JsonValues.ParseFile(indexPath);
        if (!index.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            throw new InputFormatException(indexPath, "weight_map", "an object mapping tensor names to shard files", "nothing");
        var dir = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var result = new Dictionary<string, (int[], float[])>(StringComparer.Ordinal);
        foreach (var shard in map.EnumerateObject().Select(p => p.Value.GetString()!).Distinct())
        {
            foreach (var (name, value) in Load(Path.Combine(dir, shard))) result[name] = value;
        }
        foreach (var expected in map.EnumerateObject())
        {
            if (!result.ContainsKey(expected.Name))
                throw new InputFormatException(indexPath, $"weight_map.{expected.Name}", $"a tensor in {expected.Value.GetString()}", "no such tensor in that shard");
        }
        return result;
    }

    private static float[] Decode(byte[] raw, string dtype, int count)
    {
        var data = new float[count];
        switch (dtype)
        {
            case "F32":
                for (var i = 0; i < count; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4));
                break;
            case "F64":
                for (var i = 0; i < count; i++) data[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(i * 8));
                break;
            case "F16":
                for (var i = 0; i < count; i++) data[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(i * 2)));
                break;
            case "BF16":
                for (var i = 0; i < count; i++) data[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(i * 2)) << 16);
                break;
        }
        return data;
    }

    /// <summary>Writes tensors (sorted by name) as one safetensors file in the given dtype.</summary>
    public static void Write(Stream stream, IEnumerable<(string Name, int[] Shape, float[] Data)> tensors, string dtype = "F32", IReadOnlyDictionary<string, string>? metadata = null)
    {
        var width = dtype switch { "F32" => 4, "F16" or "BF16" => 2, _ => throw new ArgumentException($"cannot write dtype {dtype}") };
        var list = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        if (metadata is not null)
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var (name, shape, data) in list)
        {
            var bytes = (long)data.Length * width;
            header[name] = new JsonObject
            {
                ["dtype"] = dtype,
                ["shape"] = new JsonArray(shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        var headerText = header.ToJsonString();
        var headerBytes = Encoding.UTF8.GetBytes(headerText);
        var padded = (headerBytes.Length + 7) / 8 * 8;
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
        stream.Write(len);
        stream.Write(headerBytes);
        for (var i = headerBytes.Length; i < padded; i++) stream.WriteByte((byte)' ');
        var buffer = new byte[64 * 1024];
        foreach (var (_, _, data) in list)
        {
            var pos = 0;
            for (var i = 0; i < data.Length; i++)
            {
                if (pos + width > buffer.Length)
                {
                    stream.Write(buffer, 0, pos);
                    pos = 0;
                }
                var span = buffer.AsSpan(pos);
                switch (dtype)
                {
                    case "F32": BinaryPrimitives.WriteSingleLittleEndian(span, data[i]); break;
                    case "F16": BinaryPrimitives.WriteUInt16LittleEndian(span, BitConverter.HalfToUInt16Bits((Half)data[i])); break;
                    default: BinaryPrimitives.WriteUInt16LittleEndian(span, ToBFloat16(data[i])); break;
                }
                pos += width;
            }
            stream.Write(buffer, 0, pos);
        }
    }

    /// <summary>Round-to-nearest-even conversion to bfloat16, as torch does.</summary>
    public static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40);
        var rounding = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    /// <summary>Writes tensors into shards of at most <paramref name="maxShardBytes"/> plus the index file, as HF <c>save_pretrained</c> does.</summary>
    public static void WriteSharded(string directory, IEnumerable<(string Name, int[] Shape, float[] Data)> tensors, long maxShardBytes, string prefix = "model")
    {
        var shards = new List<List<(string, int[], float[])>> { new() };
        long current = 0;
        foreach (var t in tensors.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var size = (long)t.Data.Length * 4;
            if (current > 0 && current + size > maxShardBytes)
            {
                shards.Add([]);
                current = 0;
            }
            shards[^1].Add(t);
            current += size;
        }
        var map = new JsonObject();
        long total = 0;
        for (var i = 0; i < shards.Count; i++)
        {
            var file = $"{prefix}-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            using (var stream = File.Create(Path.Combine(directory, file))) Write(stream, shards[i]);
            foreach (var (name, _, data) in shards[i])
            {
                map[name] = file;
                total += (long)data.Length * 4;
            }
        }
        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = total }, ["weight_map"] = map };
        File.WriteAllText(Path.Combine(directory, $"{prefix}.safetensors.index.json"), index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
