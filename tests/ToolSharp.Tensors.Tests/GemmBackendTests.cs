using ToolSharp.Tensors.Kernels;
using ToolSharp.Tensors.Native;

namespace ToolSharp.Tensors.Tests;

/// <summary>Tests that switch the process-wide GEMM backend run alone, so no other test sees the switch mid-way.</summary>
[CollectionDefinition(GemmBackendTests.Collection, DisableParallelization = true)]
public sealed class GemmBackendCollection;

/// <summary>TOOLSHARP_BLAS: the values it takes, the error for any other, and what each backend resolves to.</summary>
[Collection(Collection)]
public class GemmBackendTests
{
    public const string Collection = "GemmBackend";

    [Theory]
    [InlineData(null, GemmBackend.Auto)]
    [InlineData("", GemmBackend.Auto)]
    [InlineData("auto", GemmBackend.Auto)]
    [InlineData("managed", GemmBackend.Managed)]
    [InlineData(" Managed ", GemmBackend.Managed)]
    [InlineData("openblas", GemmBackend.OpenBlas)]
    [InlineData("OpenBLAS", GemmBackend.OpenBlas)]
    public void Toolsharp_blas_takes_auto_managed_or_openblas(string? value, GemmBackend expected) => Gemm.Parse(value).ShouldBe(expected);

    [Theory]
    [InlineData("mkl")]
    [InlineData("/usr/lib/libopenblas.so")]
    public void Any_other_value_is_an_error_naming_the_variable_and_the_choices(string value) =>
        Should.Throw<GemmBackendException>(() => Gemm.Parse(value)).Message
            .ShouldBe($"TOOLSHARP_BLAS='{value}': expected one of auto, managed, openblas");

    [Fact]
    public void Managed_resolves_to_managed_and_auto_to_openblas_exactly_when_it_loads()
    {
        var before = Gemm.Backend;
        try
        {
            Gemm.Backend = GemmBackend.Managed;
            Gemm.Active.ShouldBe(GemmBackend.Managed);
            Gemm.ActiveName.ShouldBe("managed");
            Gemm.Describe().ShouldStartWith("managed (");
            Gemm.Backend = GemmBackend.Auto;
            Gemm.Active.ShouldBe(OpenBlas.IsAvailable ? GemmBackend.OpenBlas : GemmBackend.Managed);
        }
        finally
        {
            Gemm.Backend = before;
        }
    }

    [WithoutOpenBlasFact]
    public void Asking_for_openblas_without_the_library_is_a_one_line_error()
    {
        var before = Gemm.Backend;
        try
        {
            Gemm.Backend = GemmBackend.OpenBlas;
            var message = Should.Throw<GemmBackendException>(() => Gemm.Active).Message;
            message.ShouldStartWith("TOOLSHARP_BLAS=openblas, but OpenBLAS (libopenblas.so.0) could not be loaded");
            message.ShouldNotContain("\n");
        }
        finally
        {
            Gemm.Backend = before;
        }
    }
}
