namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>A Python exception raised by emulated Python code: its class (<c>TypeError</c>, <c>KeyError</c>, …) and
/// <c>str(e)</c>, which is what BFCL's executor shows the model after "Error during execution: ".</summary>
internal sealed class PyException(string type, string message) : Exception(message)
{
    /// <summary>The exception class name, e.g. <c>ValueError</c>.</summary>
    public string Type { get; } = type;

    public bool Is(string type) => Type == type;

    public static PyException TypeError(string message) => new("TypeError", message);

    public static PyException ValueError(string message) => new("ValueError", message);

    /// <summary><c>KeyError(key)</c>: its str is the key's repr.</summary>
    public static PyException KeyError(object? key) => new("KeyError", Py.Repr(key));

    public static PyException IndexError(string message) => new("IndexError", message);

    public static PyException AttributeError(object? target, string attribute) =>
        new("AttributeError", $"'{Py.TypeName(target)}' object has no attribute '{attribute}'");

    public static PyException NameError(string name) => new("NameError", $"name '{name}' is not defined");

    public static PyException ZeroDivisionError(string message) => new("ZeroDivisionError", message);

    public static PyException OverflowError(string message) => new("OverflowError", message);
}
