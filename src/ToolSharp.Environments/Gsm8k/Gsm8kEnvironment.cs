using ToolSharp.Core.Data;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Calculator;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Scoring;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Gsm8k;

/// <summary>
/// <c>gsm8k</c>: grade-school math word problems (train 7,473 / test 1,319) with a calculator; reward: the final number
/// (after <c>####</c> or <c>Answer:</c>, else the last number; commas, units and trailing <c>.0</c> normalised).
/// Demonstrations turn each <c>&lt;&lt;48/2=24&gt;&gt;</c> annotation into a calculator call.
/// </summary>
public sealed class Gsm8kEnvironment : IEnvironment, IDemonstrationSource
{
    public const string BaseName = "gsm8k";

    /// <summary>The folder below the shared data root.</summary>
    public const string DataFolder = "datasets/gsm8k";

    public const string Instructions =
        "Solve the math problem. Use the calculator tool for every computation. Explain briefly, then end with '#### <number>'.";

    private readonly string _folder;

    public Gsm8kEnvironment(string? folder = null)
    {
        _folder = folder ?? ToolSharpData.PathTo(DataFolder);
    }

    public string Name => BaseName;

    public string Version => "1";

    public string Description => "GSM8K grade-school math with a calculator; reward: exact final number.";

    public string DefaultInstructions => Instructions;

    public IReadOnlyList<ToolSpec> ToolSpecs { get; } = [CalculatorTool.Spec];

    public IReadOnlyList<string> Splits { get; } = ["train", "test"];

    /// <summary>The problems of a split, read from <c>{split}.jsonl</c> on first use.</summary>
    public IReadOnlyList<Gsm8kProblem> Problems(string split)
    {
        TaskSampling.RequireSplit(this, split);
        return Gsm8kDataset.Load(Path.Combine(_folder, split + ".jsonl"));
    }

    public int? TaskCount(string split) => Problems(split).Count;

    public EnvironmentTask GetTask(string split, int index)
    {
        TaskIds.RequireIndex(this, split, index);
        var problem = Problems(split)[index];
        return new EnvironmentTask(TaskIds.Format(split, index), split, index, [problem.Question], problem.FinalAnswer,
            problem.Annotations().Count);
    }

    public EnvironmentTask? FindTask(string id) => TaskIds.Find(this, id);

    public Episode CreateEpisode(EnvironmentTask task, ToolExecutionOptions? options = null) =>
        new(task, new ToolRegistry([CalculatorTool.Create()]), NumericAnswerScorer.Instance, Instructions, options);

    /// <summary>
    /// One assistant turn per annotation calling <c>calculator</c> with its expression (the tool result is what our
    /// calculator returns, which may show more decimals than the annotator wrote), then the solution text without
    /// annotations, ending in <c>#### answer</c>. Annotations our calculator cannot evaluate are left out.
    /// </summary>
    public Conversation Demonstration(EnvironmentTask task, string? instructions = null)
    {
        var problem = Problems(task.Split)[task.Index];
        var messages = new List<Message> { Message.User(problem.Question) };
        var n = 0;
        foreach (var annotation in problem.Annotations())
        {
            if (!ExpressionEvaluator.TryEvaluate(annotation.Expression, out var value, out _)) continue;
            var call = CalculatorTool.Call(annotation.Expression, $"call_{++n}");
            messages.Add(Message.Assistant(null, [call]));
            messages.Add(Message.Tool(call.Id, call.Name, value.ToString()));
        }
        messages.Add(Message.Assistant(problem.PlainSolution()));
        return Demonstrations.Build(instructions ?? Instructions, ToolSpecs, messages);
    }
}
