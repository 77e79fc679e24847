using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Calculator;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Tests.Calculator;

public class CalculatorToolTests
{
    [Fact]
    public async Task Returns_just_the_number()
    {
        var tool = CalculatorTool.Create();
        (await tool.InvokeAsync(JsonValues.Parse("""{"expression":"48/2"}"""), default)).ShouldBe("24");
    }

    [Fact]
    public async Task A_bad_expression_is_an_error_the_model_reads()
    {
        var executor = new ToolExecutor(new ToolRegistry([CalculatorTool.Create()]));
        var result = await executor.ExecuteAsync(ToolCall.FromJson("calculator", """{"expression":"1/0"}"""));
        result.Error!.Kind.ShouldBe(ToolCallErrorKind.ExecutionFailed);
        result.Content.ShouldBe("Error: division by zero");
    }
}
