using System.ComponentModel;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.AI;
using ToolSharp.Core.Errors;

namespace ToolSharp.Environments.Tools;

/// <summary>Creates tools from plain C# methods: those marked <see cref="ToolAttribute"/> on an object or type, or any method or delegate.</summary>
/// <remarks>
/// The JSON Schema comes from the parameter types (Microsoft.Extensions.AI's <c>AIFunctionFactory</c>): numbers,
/// strings, booleans, enums, arrays, records; optional parameters are not required; <see cref="DescriptionAttribute"/>
/// on parameters becomes their description. A <see cref="CancellationToken"/> parameter receives the call's token.
/// </remarks>
public static class MethodTools
{
    /// <summary>Tools for the <see cref="ToolAttribute"/> instance methods of <paramref name="target"/> (and its static ones).</summary>
    public static IReadOnlyList<ITool> FromObject(object target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Marked(target.GetType(), BindingFlags.Instance | BindingFlags.Static).Select(m => FromMethod(m, m.IsStatic ? null : target)).ToList();
    }

    /// <summary>Tools for the <see cref="ToolAttribute"/> static methods of <paramref name="type"/>.</summary>
    public static IReadOnlyList<ITool> FromType(Type type) =>
        Marked(type, BindingFlags.Static).Select(m => FromMethod(m, null)).ToList();

    /// <summary>A tool for one method; name and description from <see cref="ToolAttribute"/>, else derived from the method.</summary>
    public static ITool FromMethod(MethodInfo method, object? target, string? name = null, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (!method.IsStatic && target is null) throw new ToolSharpException($"tool method {method.Name} is an instance method: pass the object it belongs to");
        var marker = method.GetCustomAttribute<ToolAttribute>();
        var options = new AIFunctionFactoryOptions
        {
            Name = name ?? marker?.Name ?? SnakeCase(method.Name),
            Description = description ?? marker?.Description ?? method.GetCustomAttribute<DescriptionAttribute>()?.Description,
        };
        return new AIFunctionTool(AIFunctionFactory.Create(method, target, options));
    }

    /// <summary>A tool for a delegate (a lambda or method group).</summary>
    public static ITool FromDelegate(Delegate function, string name, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new AIFunctionTool(AIFunctionFactory.Create(function, new AIFunctionFactoryOptions { Name = name, Description = description }));
    }

    /// <summary><c>GetWeatherAsync</c> → <c>get_weather</c>.</summary>
    public static string SnakeCase(string methodName)
    {
        var name = methodName.EndsWith("Async", StringComparison.Ordinal) && methodName.Length > 5 ? methodName[..^5] : methodName;
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var boundary = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
                if (boundary) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static IEnumerable<MethodInfo> Marked(Type type, BindingFlags kinds) =>
        type.GetMethods(kinds | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(m => m.GetCustomAttribute<ToolAttribute>() is not null)
            .OrderBy(m => m.MetadataToken);
}
