using System.Text.Json;

namespace ToolSharp.Testing;

/// <summary>A request the fake server received: path, parsed JSON body (undefined when not JSON), arrival index, auth header.</summary>
public sealed record FakeRequest(string Path, JsonElement Body, int Index, string? Authorization);
