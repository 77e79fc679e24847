using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Json;

namespace ToolSharp.Core.Hashing;

/// <summary>Content hashes that stay the same across runs, machines and .NET versions (SHA-256, lowercase hex).</summary>
public static class StableHash
{
    public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Hash of a JSON value's canonical form, so key order does not change it.</summary>
    public static string Of(JsonElement value) => Of(JsonValues.Canonical(value));

    /// <summary>Hash of a file's bytes, streamed.</summary>
    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The first <paramref name="length"/> hex digits, for short display ids.</summary>
    public static string Short(string hash, int length = 12) => hash.Length <= length ? hash : hash[..length];
}
