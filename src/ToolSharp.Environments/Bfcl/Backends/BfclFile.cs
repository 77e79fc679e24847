using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>A file of BFCL's Gorilla file system; equal to another file with the same name and content.</summary>
internal sealed class BfclFile(object? name, object? content) : IPyObject
{
    public object? Name { get; } = name;

    /// <summary>The content (a str unless the model wrote something else).</summary>
    public object? Content { get; set; } = content;

    public string TypeName => "File";

    public string Repr() => $"<<File: {Py.Str(Name)}, Content: {Py.Str(Content)}>>";

    public bool PyEquals(object? other) => other is BfclFile f && Py.Equal(Name, f.Name) && Py.Equal(Content, f.Content);
}
