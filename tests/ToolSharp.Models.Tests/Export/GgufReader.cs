using System.Text;

namespace ToolSharp.Models.Tests.Export;

/// <summary>A small GGUF v3 reader, written from the format description, to check what the exporter writes.</summary>
internal sealed class GgufReader
{
    public uint Version { get; private init; }

    public Dictionary<string, object> Metadata { get; } = new(StringComparer.Ordinal);

    public List<(string Name, long[] Dims, uint Type, float[] Data)> Tensors { get; } = [];

    public static GgufReader Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        Encoding.ASCII.GetString(r.ReadBytes(4)).ShouldBe("GGUF");
        var reader = new GgufReader { Version = r.ReadUInt32() };
        var tensorCount = r.ReadUInt64();
        var kvCount = r.ReadUInt64();
        for (ulong i = 0; i < kvCount; i++)
        {
            var key = ReadString(r);
            reader.Metadata[key] = ReadValue(r, r.ReadUInt32());
        }
        var infos = new List<(string, long[], uint, ulong)>();
        for (ulong i = 0; i < tensorCount; i++)
        {
            var name = ReadString(r);
            var dims = Enumerable.Range(0, (int)r.ReadUInt32()).Select(_ => (long)r.ReadUInt64()).ToArray();
            infos.Add((name, dims, r.ReadUInt32(), r.ReadUInt64()));
        }
        var alignment = reader.Metadata.TryGetValue("general.alignment", out var a) ? (uint)a : 32u;
        var dataStart = (stream.Position + alignment - 1) / alignment * alignment;
        foreach (var (name, dims, type, offset) in infos)
        {
            (offset % alignment).ShouldBe(0ul, name);
            stream.Position = dataStart + (long)offset;
            var count = (int)dims.Aggregate(1L, (x, y) => x * y);
            var data = new float[count];
            for (var i = 0; i < count; i++) data[i] = type switch
            {
                0 => r.ReadSingle(),
                1 => (float)BitConverter.UInt16BitsToHalf(r.ReadUInt16()),
                _ => throw new InvalidDataException($"tensor {name}: type {type} not read by this helper"),
            };
            reader.Tensors.Add((name, dims, type, data));
        }
        return reader;
    }

    private static string ReadString(BinaryReader r) => Encoding.UTF8.GetString(r.ReadBytes(checked((int)r.ReadUInt64())));

    private static object ReadValue(BinaryReader r, uint type) => type switch
    {
        0 => r.ReadByte(),
        1 => r.ReadSByte(),
        2 => r.ReadUInt16(),
        3 => r.ReadInt16(),
        4 => r.ReadUInt32(),
        5 => r.ReadInt32(),
        6 => r.ReadSingle(),
        7 => r.ReadByte() != 0,
        8 => ReadString(r),
        9 => ReadArray(r),
        10 => r.ReadUInt64(),
        11 => r.ReadInt64(),
        12 => r.ReadDouble(),
        _ => throw new InvalidDataException($"unknown GGUF value type {type}"),
    };

    private static List<object> ReadArray(BinaryReader r)
    {
        var type = r.ReadUInt32();
        var count = r.ReadUInt64();
        var list = new List<object>();
        for (ulong i = 0; i < count; i++) list.Add(ReadValue(r, type));
        return list;
    }
}
