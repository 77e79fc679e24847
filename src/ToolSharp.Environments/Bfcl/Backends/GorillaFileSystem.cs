using System.Numerics;
using System.Text;
using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>BFCL's <c>GorillaFileSystem</c>: an in-memory directory tree with a working directory, and shell-like
/// commands (ls, cd, mkdir, touch, echo, cat, find, wc, sort, grep, du, tail, diff, mv, rm, rmdir, cp, pwd).</summary>
/// <remarks>
/// Public state: <c>long_context</c> and <c>root</c> (the working directory is private, so the checker does not
/// compare it). BFCL's quirks are kept: <c>pwd</c> includes the root's name (its loop compares a name with a
/// directory, which never matches), <c>cp</c> into a directory checks for "dest/source" instead of "source" (so
/// copying over an existing name raises <c>ValueError</c>), copies and moves of directories share children.
/// In the long-context category every file not in <c>FILES_TAIL_USED</c> gets filler text appended and every
/// directory without subdirectories gets the filler files.
/// </remarks>
internal sealed class GorillaFileSystem : BfclApi
{
    private object? _longContext = false;
    private BfclDirectory _root = new("/", null);
    private BfclDirectory _current;

    private static readonly BfclMethodTable<GorillaFileSystem> Table = new("GorillaFileSystem", table =>
    {
        table.Add("pwd", [], (s, _) => s.Pwd());
        table.Add("ls", [P("a", false)], (s, a) => s.Ls(a[0]));
        table.Add("cd", [P("folder")], (s, a) => s.Cd(a[0]));
        table.Add("mkdir", [P("dir_name")], (s, a) => s.Mkdir(a[0]));
        table.Add("touch", [P("file_name")], (s, a) => s.Touch(a[0]));
        table.Add("echo", [P("content"), P("file_name", null)], (s, a) => s.Echo(a[0], a[1]));
        table.Add("cat", [P("file_name")], (s, a) => s.Cat(a[0]));
        table.Add("find", [P("path", "."), P("name", null)], (s, a) => s.Find(a[0], a[1]));
        table.Add("wc", [P("file_name"), P("mode", "l")], (s, a) => s.Wc(a[0], a[1]));
        table.Add("sort", [P("file_name")], (s, a) => s.Sort(a[0]));
        table.Add("grep", [P("file_name"), P("pattern")], (s, a) => s.Grep(a[0], a[1]));
        table.Add("du", [P("human_readable", false)], (s, a) => s.Du(a[0]));
        table.Add("tail", [P("file_name"), P("lines", 10)], (s, a) => s.Tail(a[0], a[1]));
        table.Add("diff", [P("file_name1"), P("file_name2")], (s, a) => s.Diff(a[0], a[1]));
        table.Add("mv", [P("source"), P("destination")], (s, a) => s.Mv(a[0], a[1]));
        table.Add("rm", [P("file_name")], (s, a) => s.Rm(a[0]));
        table.Add("rmdir", [P("dir_name")], (s, a) => s.Rmdir(a[0]));
        table.Add("cp", [P("source"), P("destination")], (s, a) => s.Cp(a[0], a[1]));
    });

    public GorillaFileSystem(BfclRuntime runtime) : base(runtime)
    {
        _current = _root;
    }

    public override IReadOnlyDictionary<string, BfclMethod> Methods => Table.Methods;

    public override string ClassName => "GorillaFileSystem";

    public override IEnumerable<(string Name, object? Value)> State() => [("long_context", _longContext), ("root", _root)];

    public override void LoadScenario(PyDict scenario, bool longContext)
    {
        _longContext = longContext;
        _root = new BfclDirectory("/", null);
        if (scenario.ContainsKey("root"))
        {
            var top = AsDict(scenario["root"], "keys");
            var name = top.Keys.First();
            _root = LoadDirectory(AsDict(Item(top[name], "contents"), "items"), new BfclDirectory(name, null));
        }
        _current = _root;
    }

    private BfclDirectory LoadDirectory(PyDict current, BfclDirectory parent)
    {
        var bottommost = true;
        foreach (var (name, data) in current.Items())
        {
            var type = Item(data, "type");
            if (Py.Equal(type, "directory"))
            {
                bottommost = false;
                var child = LoadDirectory(AsDict(Item(data, "contents"), "items"), new BfclDirectory(name, parent));
                parent.Contents[name] = child;
            }
            else if (Py.Equal(type, "file"))
            {
                var content = Item(data, "content");
                if (Py.Truthy(_longContext) && !Py.Contains(Runtime.Constant("FILES_TAIL_USED"), name))
                    content = PyOps.Add(content, Runtime.Constant("FILE_CONTENT_EXTENSION"));
                parent.Contents[name] = new BfclFile(name, content);
            }
        }
        if (bottommost && Py.Truthy(_longContext))
        {
            foreach (var fileName in Py.Iter(Runtime.Constant("POPULATE_FILE_EXTENSION"))) parent.AddFile(fileName);
        }
        return parent;
    }

    private static PyDict Error(string message) => Py.Dict(("error", message));

    private PyDict Pwd()
    {
        var path = new List<object?>();
        for (var dir = _current; dir is not null; dir = dir.Parent) path.Add(dir.Name);
        path.Reverse();
        return Py.Dict(("current_working_directory", "/" + PyStr.Join("/", new PyList(path))));
    }

    private PyDict Ls(object? a)
    {
        var contents = _current.Contents.Keys.ToList();
        if (!Py.Truthy(a)) contents = contents.Where(item => !PyStr.StartsWith(item, ".")).ToList();
        return Py.Dict(("current_directory_content", new PyList(contents)));
    }

    private object? Cd(object? folderArgument)
    {
        var folder = PyStr.RStrip(folderArgument, "/");
        if (folder == "") folder = "/";
        if (folder is not ("." or ".." or "/") && folder.Contains('/'))
            return Error($"cd: {folder}: Unsupported path. Only one folder level at a time is supported.");
        if (folder == "..")
        {
            if (_current.Parent is not null) _current = _current.Parent;
            else if (Py.Equal(_root, _current)) return Error("Current directory is already the root. Cannot go back.");
            else return Error("cd: ..: No such directory");
            return new PyDict();
        }
        var target = Navigate(folder);
        if (target is PyDict error) return error;
        _current = (BfclDirectory)target;
        return Py.Dict(("current_working_directory", _current.Name));
    }

    private static bool ValidName(object? name) => !"|/\\?%*:\"><".Any(c => Py.Contains(name, c.ToString()));

    private object? Mkdir(object? dirName)
    {
        if (!ValidName(dirName)) return Error($"mkdir: cannot create directory '{Py.Str(dirName)}': Invalid character");
        if (_current.Contents.ContainsKey(dirName)) return Error($"mkdir: cannot create directory '{Py.Str(dirName)}': File exists");
        _current.AddDirectory(dirName);
        return null;
    }

    private object? Touch(object? fileName)
    {
        if (!ValidName(fileName)) return Error($"touch: cannot touch '{Py.Str(fileName)}': Invalid character");
        if (_current.Contents.ContainsKey(fileName)) return Error($"touch: cannot touch '{Py.Str(fileName)}': File exists");
        _current.AddFile(fileName);
        return null;
    }

    private object? Echo(object? content, object? fileName)
    {
        if (fileName is null) return Py.Dict(("terminal_output", content));
        if (!ValidName(fileName)) return Error($"echo: cannot write to '{Py.Str(fileName)}': Invalid character");
        if (!Py.Truthy(fileName)) return Py.Dict(("terminal_output", content));
        if (!_current.Contents.ContainsKey(fileName)) return Error($"echo: cannot write to '{Py.Str(fileName)}': No such file");
        var item = _current.GetItem(fileName);
        if (item is not BfclFile file) throw PyException.AttributeError(item, "_write");
        file.Content = content;
        return null;
    }

    private PyDict Cat(object? fileName)
    {
        if (!ValidName(fileName)) return Error($"cat: '{Py.Str(fileName)}': Invalid character");
        if (!_current.Contents.ContainsKey(fileName)) return Error($"cat: '{Py.Str(fileName)}': No such file or directory");
        return _current.GetItem(fileName) is BfclFile file
            ? Py.Dict(("file_content", file.Content))
            : Error($"cat: '{Py.Str(fileName)}': Is a directory");
    }

    private PyDict Find(object? path, object? name)
    {
        var matches = new List<object?>();
        var target = Navigate(path);
        if (target is PyDict error)
        {
            var message = error.Get("error", "");
            if (PyStr.StartsWith(message, "cd:")) return Error("find:" + ((string)message!)["cd:".Length..]);
            return error;
        }
        void Search(BfclDirectory directory, string basePath)
        {
            foreach (var (itemName, item) in directory.Contents.Items())
            {
                var itemPath = $"{basePath}/{Py.Str(itemName)}";
                if (name is null || Py.Contains(itemName, name)) matches.Add(itemPath);
                if (item is BfclDirectory sub) Search(sub, itemPath);
            }
        }
        Search((BfclDirectory)target, PyStr.RStrip(path, "/"));
        return Py.Dict(("matches", new PyList(matches)));
    }

    private PyDict Wc(object? fileName, object? mode)
    {
        if (!Py.Contains(Py.List("l", "w", "c"), mode)) return Error($"wc: invalid mode '{Py.Str(mode)}'");
        if (_current.Contents.ContainsKey(fileName) && _current.GetItem(fileName) is BfclFile file)
        {
            var content = file.Content;
            if (Py.Equal(mode, "l")) return Py.Dict(("count", PyStr.SplitLines(content).Count), ("type", "lines"));
            if (Py.Equal(mode, "w")) return Py.Dict(("count", PyStr.SplitWhitespace(content).Count), ("type", "words"));
            if (Py.Equal(mode, "c")) return Py.Dict(("count", Py.LenStrict(content)), ("type", "characters"));
        }
        return Error($"wc: {Py.Str(fileName)}: No such file or directory");
    }

    private PyDict Sort(object? fileName)
    {
        if (_current.Contents.ContainsKey(fileName) && _current.GetItem(fileName) is BfclFile file)
        {
            var lines = PyStr.SplitLines(file.Content).Items.Cast<string>().Order(Comparer<string>.Create(PyStr.CompareCodePoints));
            return Py.Dict(("sorted_content", string.Join("\n", lines)));
        }
        return Error($"sort: {Py.Str(fileName)}: No such file or directory");
    }

    private PyDict Grep(object? fileName, object? pattern)
    {
        if (_current.Contents.ContainsKey(fileName) && _current.GetItem(fileName) is BfclFile file)
        {
            var lines = PyStr.SplitLines(file.Content).Items.Where(line => Py.Contains(line, pattern)).ToList();
            return Py.Dict(("matching_lines", new PyList(lines)));
        }
        return Error($"grep: {Py.Str(fileName)}: No such file or directory");
    }

    private PyDict Du(object? humanReadable)
    {
        object total = Size(_current);
        string text;
        if (Py.Truthy(humanReadable))
        {
            text = "";
            var found = false;
            foreach (var unit in new[] { "B", "KB", "MB", "GB", "TB" })
            {
                if (Py.Lt(total, Py.Int(1024)))
                {
                    text = $"{PyOps.FormatFixed(total, 2)} {unit}";
                    found = true;
                    break;
                }
                total = PyOps.TrueDiv(total, Py.Int(1024))!;
            }
            if (!found) text = $"{PyOps.FormatFixed(total, 2)} PB";
        }
        else text = $"{Py.Str(total)} bytes";
        return Py.Dict(("disk_usage", text));
    }

    private static BigInteger Size(object? item) => item switch
    {
        BfclFile f => Utf8Length(f.Content),
        BfclDirectory d => d.Contents.Values.Aggregate(BigInteger.Zero, (sum, child) => sum + Size(child)),
        _ => BigInteger.Zero,
    };

    private static int Utf8Length(object? content)
    {
        var s = content as string ?? throw PyException.AttributeError(content, "encode");
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            else if (char.IsSurrogate(s[i]))
                throw new PyException("UnicodeEncodeError", $"'utf-8' codec can't encode character '\\u{(int)s[i]:x4}' in position {i}: surrogates not allowed");
        }
        return Encoding.UTF8.GetByteCount(s);
    }

    private PyDict Tail(object? fileName, object? lines)
    {
        if (_current.Contents.ContainsKey(fileName) && _current.GetItem(fileName) is BfclFile file)
        {
            var content = PyStr.SplitLines(file.Content).Items;
            if (Py.Gt(lines, Py.Int(content.Count))) lines = Py.Int(content.Count);
            if (!Py.IsIntegral(lines)) throw PyException.TypeError("slice indices must be integers or None or have an __index__ method");
            var start = -Py.ToInteger(lines);
            var from = start < 0 ? (int)BigInteger.Max(content.Count + start, 0) : (int)BigInteger.Min(start, content.Count);
            return Py.Dict(("last_lines", string.Join("\n", content.Skip(from).Cast<string>())));
        }
        return Error($"tail: {Py.Str(fileName)}: No such file or directory");
    }

    private PyDict Diff(object? fileName1, object? fileName2)
    {
        if (_current.Contents.ContainsKey(fileName1) && _current.Contents.ContainsKey(fileName2)
            && _current.GetItem(fileName1) is BfclFile file1 && _current.GetItem(fileName2) is BfclFile file2)
        {
            var content1 = PyStr.SplitLines(file1.Content).Items;
            var content2 = PyStr.SplitLines(file2.Content).Items;
            var lines = content1.Zip(content2).Where(p => !Py.Equal(p.First, p.Second)).Select(p => $"- {p.First}\n+ {p.Second}");
            return Py.Dict(("diff_lines", string.Join("\n", lines)));
        }
        return Error($"diff: {Py.Str(fileName1)} or {Py.Str(fileName2)}: No such file or directory");
    }

    private PyDict Mv(object? source, object? destination)
    {
        if (!_current.Contents.ContainsKey(source)) return Error($"mv: cannot move '{Py.Str(source)}': No such file or directory");
        var item = _current.GetItem(source);
        if (item is not (BfclFile or BfclDirectory)) return Error($"mv: cannot move '{Py.Str(source)}': Not a file or directory");
        if (Py.Contains(destination, "/")) return Error("mv: path not allowed in destination. Provide only a file or directory name.");
        if (_current.Contents.ContainsKey(destination))
        {
            if (_current.GetItem(destination) is not BfclDirectory target)
                return Error($"mv: cannot move '{Py.Str(source)}' to '{Py.Str(destination)}': Not a directory");
            var newDestination = Py.Str(source);
            if (target.Contents.ContainsKey(newDestination))
                return Error($"mv: cannot move '{Py.Str(source)}' to '{Py.Str(destination)}/{Py.Str(source)}': File exists");
            _current.Contents.Pop(source);
            if (item is BfclFile file) target.AddFile(source, file.Content);
            else
            {
                target.AddDirectory(source);
                ((BfclDirectory)target.Contents[source]!).Contents = ((BfclDirectory)item).Contents;
            }
            return Py.Dict(("result", $"'{Py.Str(source)}' moved to '{Py.Str(destination)}/{Py.Str(source)}'"));
        }
        _current.Contents.Pop(source);
        if (item is BfclFile moved) _current.AddFile(destination, moved.Content);
        else
        {
            _current.AddDirectory(destination);
            ((BfclDirectory)_current.Contents[destination]!).Contents = ((BfclDirectory)item).Contents;
        }
        return Py.Dict(("result", $"'{Py.Str(source)}' moved to '{Py.Str(destination)}'"));
    }

    private PyDict Rm(object? fileName)
    {
        if (!_current.Contents.ContainsKey(fileName)) return Error($"rm: cannot remove '{Py.Str(fileName)}': No such file or directory");
        if (_current.GetItem(fileName) is not (BfclFile or BfclDirectory))
            return Error($"rm: cannot remove '{Py.Str(fileName)}': Not a file or directory");
        _current.Contents.Pop(fileName);
        return Py.Dict(("result", $"'{Py.Str(fileName)}' removed"));
    }

    private PyDict Rmdir(object? dirName)
    {
        if (!_current.Contents.ContainsKey(dirName)) return Error($"rmdir: cannot remove '{Py.Str(dirName)}': No such file or directory");
        if (_current.GetItem(dirName) is not BfclDirectory directory) return Error($"rmdir: cannot remove '{Py.Str(dirName)}': Not a directory");
        if (directory.Contents.Count > 0) return Error($"rmdir: cannot remove '{Py.Str(dirName)}': Directory not empty");
        _current.Contents.Pop(dirName);
        return Py.Dict(("result", $"'{Py.Str(dirName)}' removed"));
    }

    private PyDict Cp(object? source, object? destination)
    {
        if (!_current.Contents.ContainsKey(source)) return Error($"cp: cannot copy '{Py.Str(source)}': No such file or directory");
        var item = _current.GetItem(source);
        if (item is not (BfclFile or BfclDirectory)) return Error($"cp: cannot copy '{Py.Str(source)}': Not a file or directory");
        if (Py.Contains(destination, "/")) return Error("cp: path not allowed in destination. Provide only a file or directory name.");
        if (_current.Contents.ContainsKey(destination))
        {
            if (_current.GetItem(destination) is not BfclDirectory target)
                return Error($"cp: cannot copy '{Py.Str(source)}' to '{Py.Str(destination)}': Not a directory");
            var newDestination = $"{Py.Str(destination)}/{Py.Str(source)}";
            if (target.Contents.ContainsKey(newDestination))
                return Error($"cp: cannot copy '{Py.Str(source)}' to '{Py.Str(destination)}/{Py.Str(source)}': File exists");
            if (item is BfclFile file) target.AddFile(source, file.Content);
            else
            {
                target.AddDirectory(source);
                ((BfclDirectory)target.Contents[source]!).Contents = ((BfclDirectory)item).Contents.Copy();
            }
            return Py.Dict(("result", $"'{Py.Str(source)}' copied to '{Py.Str(destination)}/{Py.Str(source)}'"));
        }
        if (item is BfclFile copied) _current.AddFile(destination, copied.Content);
        else
        {
            _current.AddDirectory(destination);
            ((BfclDirectory)_current.Contents[destination]!).Contents = ((BfclDirectory)item).Contents.Copy();
        }
        return Py.Dict(("result", $"'{Py.Str(source)}' copied to '{Py.Str(destination)}'"));
    }

    /// <summary><c>_navigate_to_directory</c>: the directory at a path, or an error dict.</summary>
    private object Navigate(object? path)
    {
        if (path is null || Py.Equal(path, ".")) return _current;
        if (Py.Equal(path, "/")) return _root;
        var dirs = PyStr.Split(PyStr.Strip(path, "/"), "/").Items;
        var directory = PyStr.StartsWith(path, "/") ? _root : _current;
        foreach (var name in dirs)
        {
            if (directory.GetItem(name) is BfclDirectory next) directory = next;
            else return Error($"cd: '{Py.Str(path)}': No such file or directory");
        }
        return directory;
    }
}
