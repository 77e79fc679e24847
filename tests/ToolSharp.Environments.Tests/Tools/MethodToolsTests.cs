using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Tests.Tools;

public class MethodToolsTests
{
    private sealed class WeatherService
    {
        public int Calls { get; private set; }

        [Tool, Description("Get the current temperature of a city.")]
        public string GetWeather([Description("City name, e.g. Oslo")] string city, string unit = "celsius")
        {
            Calls++;
            return $"{city}: 21 {unit}";
        }

        [Tool("add_numbers", Description = "Add two integers.")]
        public static int Add(int a, int b) => a + b;

        [Tool]
        public async Task<Forecast> ForecastAsync(string city, int days, CancellationToken cancellationToken)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            return new Forecast(city, Enumerable.Repeat("sunny", days).ToArray());
        }

        [Tool]
        public string Fail(string why) => throw new ToolInvocationException(why);

        public string NotATool() => "hidden";
    }

    private sealed record Forecast(string City, string[] Days);

    [Fact]
    public void Marked_methods_become_tools_with_schemas_from_their_parameters()
    {
        var tools = MethodTools.FromObject(new WeatherService());
        tools.Select(t => t.Spec.Name).ShouldBe(["get_weather", "add_numbers", "forecast", "fail"]);

        var weather = tools[0].Spec;
        weather.Description.ShouldBe("Get the current temperature of a city.");
        weather.RequiredParameters.ShouldBe(["city"]);
        weather.ParameterSchema("city")!.Value.GetProperty("type").GetString().ShouldBe("string");
        weather.ParameterSchema("city")!.Value.GetProperty("description").GetString().ShouldBe("City name, e.g. Oslo");

        tools[1].Spec.ParameterSchema("a")!.Value.GetProperty("type").GetString().ShouldBe("integer");
        tools[2].Spec.ParameterNames.ShouldBe(["city", "days"]); // the CancellationToken is not a parameter for the model
    }

    [Fact]
    public async Task Method_tools_run_through_the_executor_with_validation_and_errors()
    {
        var service = new WeatherService();
        var executor = new ToolExecutor(new ToolRegistry(MethodTools.FromObject(service)));
        (await executor.ExecuteAsync(ToolCall.FromJson("get_weather", """{"city":"Oslo"}"""))).Content.ShouldBe("Oslo: 21 celsius");
        (await executor.ExecuteAsync(ToolCall.FromJson("add_numbers", """{"a":2,"b":40}"""))).Content.ShouldBe("42");
        var forecast = await executor.ExecuteAsync(ToolCall.FromJson("forecast", """{"city":"Oslo","days":2}"""));
        JsonDocument.Parse(forecast.Content).RootElement.GetProperty("days").GetArrayLength().ShouldBe(2);
        (await executor.ExecuteAsync(ToolCall.FromJson("get_weather", """{"town":"Oslo"}"""))).Error!.Kind.ShouldBe(ToolCallErrorKind.MissingRequired);
        (await executor.ExecuteAsync(ToolCall.FromJson("fail", """{"why":"no network"}"""))).Content.ShouldBe("Error: no network");
        service.Calls.ShouldBe(1); // the invalid call never reached the method
    }

    [Fact]
    public async Task Any_AIFunction_and_delegate_plugs_in()
    {
        var function = AIFunctionFactory.Create((string text) => text.ToUpperInvariant(), "shout", "Upper-case a text.");
        var tool = new AIFunctionTool(function);
        tool.Spec.Name.ShouldBe("shout");
        (await tool.InvokeAsync(JsonValues.Parse("""{"text":"hi"}"""), default)).ShouldBe("HI");

        var lambda = MethodTools.FromDelegate((double x) => x * 2, "double_it", "Double a number.");
        (await lambda.InvokeAsync(JsonValues.Parse("""{"x":2.5}"""), default)).ShouldBe("5");
    }

    [Fact]
    public async Task Our_tools_are_AIFunctions_too()
    {
        var calculator = ToolSharp.Environments.Calculator.CalculatorTool.Create();
        AIFunction function = new ToolAIFunction(calculator);
        function.Name.ShouldBe("calculator");
        JsonElement.DeepEquals(function.JsonSchema, calculator.Spec.Parameters).ShouldBeTrue();
        (await function.InvokeAsync(new AIFunctionArguments { ["expression"] = "6*7" })).ShouldBe("42");
    }

    [Theory]
    [InlineData("GetWeather", "get_weather")]
    [InlineData("GetWeatherAsync", "get_weather")]
    [InlineData("Add", "add")]
    [InlineData("ParseHTMLPage", "parse_html_page")]
    [InlineData("Top10Items", "top10_items")]
    public void Names_default_to_snake_case(string method, string name)
    {
        MethodTools.SnakeCase(method).ShouldBe(name);
    }
}
