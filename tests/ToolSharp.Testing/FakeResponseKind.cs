namespace ToolSharp.Testing;

/// <summary>What the fake server does with a request.</summary>
public enum FakeResponseKind { Body, Drop, Hang }
