namespace ToolSharp.Evaluation.Tests.Reports;

/// <summary>A fact that needs headless Chromium at /usr/bin/chromium; reported as skipped, with the reason, when it is absent.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Path = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Path)) Skip = $"headless browser check skipped: {Path} is not installed (Debian package 'chromium')";
    }
}
