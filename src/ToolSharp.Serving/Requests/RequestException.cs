using ToolSharp.Core.Errors;

namespace ToolSharp.Serving.Requests;

/// <summary>A request the server refuses, with what OpenAI's error body carries: HTTP status, the parameter at fault and a code.</summary>
public sealed class RequestException(string message, string? param = null, string code = "invalid_request", int status = 400)
    : ToolSharpException(message)
{
    public string? Param { get; } = param;

    public string Code { get; } = code;

    public int Status { get; } = status;

    /// <summary>OpenAI's error <c>type</c>: invalid_request_error for 4xx, server_error otherwise.</summary>
    public string Type => Status < 500 ? "invalid_request_error" : "server_error";

    /// <summary>A bad value: "PARAM: expected X, found Y".</summary>
    public static RequestException Invalid(string param, string expected, string found) =>
        new($"{param}: expected {expected}, found {found}", param, "invalid_value");

    public static RequestException FromInput(InputFormatException ex) =>
        new($"{ex.Field}: expected {ex.Expected}, found {ex.Found}", ex.Field, "invalid_value");
}
