using Xunit;

namespace ToolSharp.Testing;

/// <summary>A fact that needs npm packages (installed on first use by <see cref="NpmPackages"/>); skipped with the reason when they cannot be had.</summary>
public sealed class NpmFactAttribute : FactAttribute
{
    public NpmFactAttribute(params string[] packages)
    {
        Skip = NpmPackages.MissingReason(packages);
    }
}
