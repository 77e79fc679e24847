using System.Globalization;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Calculator;
using ToolSharp.Environments.Episodes;
using ToolSharp.Core.Randomness;
using ToolSharp.Environments.Scoring;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Arith;

/// <summary>
/// <c>arith</c>: multi-step arithmetic word problems that are hard to do in the head and easy with <c>calculator</c>;
/// the embedded default environment for training the tiny model. Reward: the exact number after <c>Answer:</c>.
/// </summary>
/// <remarks>
/// Splits: <c>train</c> is generated without end, <c>test</c> holds <see cref="ArithOptions.TestSize"/> tasks; the two
/// draw from different seed streams. Each task's difficulty is its level (number of operations).
/// </remarks>
public sealed class ArithEnvironment : IEnvironment, IDemonstrationSource
{
    public const string BaseName = "arith";

    public const string Instructions =
        "Use the calculator tool for every computation: copy the numbers into one expression. Then reply with 'Answer: <number>'.";

    public ArithEnvironment(ArithOptions? options = null)
    {
        Options = options ?? new ArithOptions();
        Options.Validate();
        Name = BaseName + Options.NameSuffix();
    }

    public ArithOptions Options { get; }

    public string Name { get; }

    public string Version => "1";

    public string Description => "Multi-step arithmetic word problems (1-4 operations) solved with a calculator tool; reward: exact answer.";

    public string DefaultInstructions => Instructions;

    public IReadOnlyList<ToolSpec> ToolSpecs { get; } = [CalculatorTool.Spec];

    public IReadOnlyList<string> Splits { get; } = ["train", "test"];

    public int? TaskCount(string split)
    {
        TaskSampling.RequireSplit(this, split);
        return split == "test" ? Options.TestSize : null;
    }

    /// <summary>The problem behind a task (its steps and expression), regenerated from the task's split and index.</summary>
    public ArithProblem Problem(string split, int index)
    {
        TaskIds.RequireIndex(this, split, index);
        var rng = SeededRandom.For(BaseName, Options.Seed, split, index);
        var level = (int)rng.Between(Options.MinLevel, Options.MaxLevel);
        return ArithGenerator.Generate(rng, level, Options.DigitsFor(level));
    }

    public EnvironmentTask GetTask(string split, int index)
    {
        var problem = Problem(split, index);
        return new EnvironmentTask(TaskIds.Format(split, index), split, index, [problem.Text],
            problem.Answer.ToString(CultureInfo.InvariantCulture), problem.Level);
    }

    public EnvironmentTask? FindTask(string id) => TaskIds.Find(this, id);

    public Episode CreateEpisode(EnvironmentTask task, ToolExecutionOptions? options = null) =>
        new(task, new ToolRegistry([CalculatorTool.Create()]), NumericAnswerScorer.Instance, Instructions, options);

    /// <summary>One calculator call with the whole expression, its result, then <c>Answer: n</c>.</summary>
    public Conversation Demonstration(EnvironmentTask task, string? instructions = null)
    {
        var problem = Problem(task.Split, task.Index);
        var expression = problem.Expression();
        var result = CalculatorTool.Evaluate(expression);
        var call = CalculatorTool.Call(expression, "call_1");
        return Demonstrations.Build(instructions ?? Instructions, ToolSpecs,
        [
            Message.User(task.Question),
            Message.Assistant(null, [call]),
            Message.Tool(call.Id, call.Name, result),
            Message.Assistant($"Answer: {result}"),
        ]);
    }
}
