using System.Diagnostics;
using System.Text.Json;
using ToolSharp.Tensors.Native;

namespace ToolSharp.Cli.Tests;

/// <summary>TOOLSHARP_BLAS end to end: the CLI started as a child process with the variable set, as a user would run it.</summary>
public sealed class BlasBackendCommandTests
{
    private static readonly string[] TinyEngine = ["bench", "engine", "--model", "tiny", "--batch", "2", "--seq", "24", "--threads", "1", "--no-torch", "--json"];

    private static (int ExitCode, string Out, string Err) Toolsharp(string? blas, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "toolsharp.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        if (blas is null) start.Environment.Remove("TOOLSHARP_BLAS");
        else start.Environment["TOOLSHARP_BLAS"] = blas;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Managed_runs_bench_engine_on_the_managed_kernels_and_its_json_says_so()
    {
        var (code, stdout, stderr) = Toolsharp("managed", TinyEngine);
        code.ShouldBe(0, stderr);
        JsonDocument.Parse(stdout).RootElement.GetProperty("blas").GetString().ShouldBe("managed");
        stderr.ShouldContain("GEMM managed (");
    }

    [OpenBlasPresentFact]
    public void Openblas_runs_bench_engine_on_openblas_and_its_json_says_so()
    {
        var (code, stdout, stderr) = Toolsharp("openblas", TinyEngine);
        code.ShouldBe(0, stderr);
        JsonDocument.Parse(stdout).RootElement.GetProperty("blas").GetString().ShouldBe("openblas");
    }

    [Fact]
    public void Info_reports_the_backend_the_variable_chose()
    {
        var (code, stdout, stderr) = Toolsharp("managed", "info");
        code.ShouldBe(0, stderr);
        stdout.ShouldContain("GEMM: managed (");
        stdout.ShouldContain("TOOLSHARP_BLAS=managed");
    }

    [Fact]
    public void An_unknown_value_is_a_one_line_error_naming_the_variable_and_the_choices()
    {
        var (code, _, stderr) = Toolsharp("mkl", "info");
        code.ShouldBe(1);
        stderr.Trim().ShouldBe("error: TOOLSHARP_BLAS='mkl': expected one of auto, managed, openblas");
    }

    /// <summary>A fact that needs OpenBLAS; reported as skipped, with the reason, when it does not load.</summary>
    private sealed class OpenBlasPresentFactAttribute : FactAttribute
    {
        public OpenBlasPresentFactAttribute()
        {
            if (!OpenBlas.IsAvailable) Skip = "OpenBLAS not found (libopenblas.so.0; Debian package libopenblas0-pthread)";
        }
    }
}
