using ToolSharp.Environments.Catalog;
using ToolSharp.Core.Errors;
using ToolSharp.Environments.Arith;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Environments.Tests.Catalog;

public class EnvironmentCatalogTests
{
    [Fact]
    public void Creates_environments_from_specs_with_canonical_names()
    {
        EnvironmentCatalog.Create("arith").Name.ShouldBe("arith");
        var env = (ArithEnvironment)EnvironmentCatalog.Create("arith: seed=7, levels=2-3");
        env.Name.ShouldBe("arith:levels=2-3,seed=7");
        env.Options.MinLevel.ShouldBe(2);
        EnvironmentCatalog.Create(env.Name).GetTask("test", 0).ShouldBe(env.GetTask("test", 0));
        EnvironmentCatalog.Create("arith-memory:turns=1-4").Name.ShouldBe("arith-memory:turns=1-4");
    }

    [Theory]
    [InlineData("nope", "unknown environment 'nope' (available: arith, arith-memory")]
    [InlineData("arith:level=2", "unknown option level (known: digits, levels, seed, test)")]
    [InlineData("arith:levels=0-9", "levels must lie within 1-4")]
    [InlineData("arith:levels=x", "expected a range such as 1-3, found 'x'")]
    [InlineData("arith:seed", "expected key=value, found 'seed'")]
    [InlineData("arith:seed=1,seed=2", "option 'seed' given twice")]
    [InlineData("arith-memory:turns=0-9", "turns must lie within 1-4")]
    public void Bad_specs_are_clear_errors(string spec, string message)
    {
        Should.Throw<ToolSharpException>(() => EnvironmentCatalog.Create(spec)).Message.ShouldContain(message);
    }
}
