using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>A directory of BFCL's Gorilla file system: name, parent and contents (name → file or directory).</summary>
/// <remarks>Equality is name plus contents, recursively; the parent is not compared. As in BFCL, <c>mv</c> and
/// <c>cp</c> of a directory share content objects and leave children's parents pointing at the old directory.</remarks>
internal sealed class BfclDirectory(object? name, BfclDirectory? parent) : IPyObject
{
    public object? Name { get; } = name;

    public BfclDirectory? Parent { get; } = parent;

    public PyDict Contents { get; set; } = new();

    public string TypeName => "Directory";

    /// <summary><c>_add_file</c>: raises <c>ValueError</c> when the name is taken.</summary>
    public void AddFile(object? fileName, object? content = null)
    {
        if (Contents.ContainsKey(fileName))
            throw PyException.ValueError($"File '{Py.Str(fileName)}' already exists in directory '{Py.Str(Name)}'.");
        Contents[fileName] = new BfclFile(fileName, content ?? "");
    }

    /// <summary><c>_add_directory</c>: raises <c>ValueError</c> when the name is taken.</summary>
    public void AddDirectory(object? directoryName)
    {
        if (Contents.ContainsKey(directoryName))
            throw PyException.ValueError($"Directory '{Py.Str(directoryName)}' already exists in directory '{Py.Str(Name)}'.");
        Contents[directoryName] = new BfclDirectory(directoryName, this);
    }

    /// <summary><c>_get_item</c>: "." is the directory itself.</summary>
    public object? GetItem(object? itemName) => itemName is "." ? this : Contents.Get(itemName);

    public string Repr() =>
        $"<Directory: {Py.Str(Name)}, Parent: {(Parent is null ? "None" : Py.Str(Parent.Name))}, Contents: {Py.Repr(Contents)}>";

    public bool PyEquals(object? other) => other is BfclDirectory d && Py.Equal(Name, d.Name) && Py.Equal(Contents, d.Contents);
}
