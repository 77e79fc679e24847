using System.Globalization;
using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Calculator;
using ToolSharp.Environments.Episodes;
using ToolSharp.Core.Randomness;
using ToolSharp.Environments.Tools;

namespace ToolSharp.Environments.Arith;

/// <summary>
/// <c>arith-memory</c>: a stateful, multi-turn variant of arith. Each user turn asks for one computation whose result must
/// be saved under a name; later turns build on earlier names. Scored by the final state of the episode's memory
/// (BFCL multi-turn style): reward = the fraction of names holding the right value.
/// </summary>
public sealed class ArithMemoryEnvironment : IEnvironment, IDemonstrationSource
{
    public const string BaseName = "arith-memory";

    public const string Instructions =
        "Use the calculator for every computation and save each result with the save tool under the name the user gives. " +
        "Saved names can be used in calculator expressions. After the last turn reply with 'Answer: <number>'.";

    private static readonly string[] VariableNames = ["x", "y", "z", "w"];

    public ArithMemoryEnvironment(int minTurns = 2, int maxTurns = 3, int seed = 0, int testSize = 300)
    {
        if (minTurns < 1 || maxTurns > VariableNames.Length || minTurns > maxTurns)
            throw new Core.Errors.ToolSharpException($"arith-memory: turns must lie within 1-{VariableNames.Length}, found {minTurns}-{maxTurns}");
        if (testSize < 1) throw new Core.Errors.ToolSharpException($"arith-memory: test size must be positive, found {testSize}");
        MinTurns = minTurns;
        MaxTurns = maxTurns;
        Seed = seed;
        TestSize = testSize;
        var options = new List<string>();
        if (minTurns != 2 || maxTurns != 3) options.Add($"turns={minTurns}-{maxTurns}");
        if (seed != 0) options.Add("seed=" + seed.ToString(CultureInfo.InvariantCulture));
        if (testSize != 300) options.Add("test=" + testSize.ToString(CultureInfo.InvariantCulture));
        Name = BaseName + (options.Count == 0 ? "" : ":" + string.Join(",", options));
    }

    /// <summary>Reads <c>turns=2-3</c>, <c>seed=7</c>, <c>test=300</c>.</summary>
    public static ArithMemoryEnvironment From(EnvironmentOptions spec)
    {
        var turns = spec.GetRange("turns", (2, 3));
        return new ArithMemoryEnvironment(turns.Min, turns.Max, spec.GetInt("seed", 0), spec.GetInt("test", 300));
    }

    public int MinTurns { get; }

    public int MaxTurns { get; }

    public int Seed { get; }

    public int TestSize { get; }

    public string Name { get; }

    public string Version => "2";

    public string Description => "Stateful multi-turn arithmetic: compute, save results under names, reuse them; scored by the final memory.";

    public string DefaultInstructions => Instructions;

    public IReadOnlyList<ToolSpec> ToolSpecs => MemoryTools.Specs;

    public IReadOnlyList<string> Splits { get; } = ["train", "test"];

    public int? TaskCount(string split)
    {
        TaskSampling.RequireSplit(this, split);
        return split == "test" ? TestSize : null;
    }

    /// <summary>The turns of a task: for each, the step applied and the name its result is saved under.</summary>
    public (long Start, IReadOnlyList<(ArithStep Step, string Name, long Value)> Turns) Plan(string split, int index)
    {
        TaskIds.RequireIndex(this, split, index);
        var rng = SeededRandom.For(BaseName, Seed, split, index);
        var turnCount = (int)rng.Between(MinTurns, MaxTurns);
        (int, int) digits = (3, 4);
        var value = rng.Between(100, 9999);
        var start = value;
        var turns = new List<(ArithStep, string, long)>();
        for (var t = 0; t < turnCount; t++)
        {
            var step = ArithGenerator.MakeStep(rng, (ArithOperation)rng.Next(4), value, digits);
            value = ArithGenerator.Apply(value, step);
            turns.Add((step, VariableNames[t], value));
        }
        return (start, turns);
    }

    public EnvironmentTask GetTask(string split, int index)
    {
        var (start, turns) = Plan(split, index);
        var texts = new List<string>();
        for (var t = 0; t < turns.Count; t++)
        {
            var (step, name, _) = turns[t];
            var b = step.Operand.ToString(CultureInfo.InvariantCulture);
            var text = t == 0
                ? $"Compute {start.ToString(CultureInfo.InvariantCulture)} {Word(step.Operation)} {b} and save the result as {name}."
                : step.Operation switch
                {
                    ArithOperation.Add => $"Add {b} to {turns[t - 1].Name} and save the result as {name}.",
                    ArithOperation.Subtract => $"Subtract {b} from {turns[t - 1].Name} and save the result as {name}.",
                    ArithOperation.Multiply => $"Multiply {turns[t - 1].Name} by {b} and save the result as {name}.",
                    _ => $"Divide {turns[t - 1].Name} by {b} and save the result as {name}.",
                };
            if (t == turns.Count - 1) text += $" Then tell me the value of {name}.";
            texts.Add(text);
        }
        var expected = JsonValues.Build(w =>
        {
            w.WriteStartObject();
            foreach (var (_, name, value) in turns) w.WriteNumber(name, value);
            w.WriteEndObject();
        });
        var display = string.Join(", ", turns.Select(t => $"{t.Name}={t.Value.ToString(CultureInfo.InvariantCulture)}"));
        return new EnvironmentTask(TaskIds.Format(split, index), split, index, texts, display, turns.Count, expected);
    }

    public EnvironmentTask? FindTask(string id) => TaskIds.Find(this, id);

    /// <summary>Each user turn takes a calculator call, a save and a confirmation, so the limits grow with the turns (at least the defaults).</summary>
    public EpisodeLimits Limits(EnvironmentTask task) =>
        new(Math.Max(EpisodeLimits.Default.MaxTurns, 4 * task.UserTurns.Count), Math.Max(EpisodeLimits.Default.MaxToolCalls, 4 * task.UserTurns.Count));

    public Episode CreateEpisode(EnvironmentTask task, ToolExecutionOptions? options = null)
    {
        var state = new MemoryState();
        return new Episode(task, MemoryTools.Create(state), new MemoryScorer(state), Instructions, options, state);
    }

    /// <summary>Per turn: a calculator call (using the previous name), a save call, and a short confirmation; <c>Answer: n</c> at the end.</summary>
    public Conversation Demonstration(EnvironmentTask task, string? instructions = null)
    {
        var (start, turns) = Plan(task.Split, task.Index);
        var state = new MemoryState();
        var messages = new List<Message>();
        var callNumber = 0;
        for (var t = 0; t < turns.Count; t++)
        {
            var (step, name, _) = turns[t];
            var left = t == 0 ? start.ToString(CultureInfo.InvariantCulture) : turns[t - 1].Name;
            var expression = $"{left}{step.Symbol}{step.Operand.ToString(CultureInfo.InvariantCulture)}";
            var result = CalculatorTool.Evaluate(expression, state.Values);
            state.Save(name, Rational.Parse(result));

            messages.Add(Message.User(task.UserTurns[t]));
            var calc = new ToolCall(CalculatorTool.Name, JsonValues.Parse($$"""{"expression":{{JsonSerializer.Serialize(expression)}}}"""), $"call_{++callNumber}");
            messages.Add(Message.Assistant(null, [calc]));
            messages.Add(Message.Tool(calc.Id, calc.Name, result));
            var save = new ToolCall(MemoryTools.SaveSpec.Name, JsonValues.Parse($$"""{"name":"{{name}}","value":{{result}}}"""), $"call_{++callNumber}");
            messages.Add(Message.Assistant(null, [save]));
            messages.Add(Message.Tool(save.Id, save.Name, $"saved {name} = {result}"));
            messages.Add(Message.Assistant(t == turns.Count - 1 ? $"Answer: {result}" : $"Saved {name} = {result}."));
        }
        return Demonstrations.Build(instructions ?? Instructions, ToolSpecs, messages);
    }

    private static string Word(ArithOperation op) => op switch
    {
        ArithOperation.Add => "plus",
        ArithOperation.Subtract => "minus",
        ArithOperation.Multiply => "times",
        _ => "divided by",
    };

    /// <summary>Compares the episode's memory with the expected values in <see cref="EnvironmentTask.Data"/>.</summary>
    private sealed class MemoryScorer(MemoryState state) : IEpisodeScorer
    {
        public EpisodeScore Score(EnvironmentTask task, Conversation transcript)
        {
            var expected = task.Data.EnumerateObject().ToList();
            var wrong = new List<string>();
            foreach (var entry in expected)
            {
                var want = Rational.Parse(entry.Value.GetRawText());
                if (!state.TryGet(entry.Name, out var have)) wrong.Add($"{entry.Name} not saved (expected {want})");
                else if (have != want) wrong.Add($"{entry.Name} = {have.ToDecimalString(10)}, expected {want}");
            }
            var right = expected.Count - wrong.Count;
            var got = JsonValues.ToCompact(state.Snapshot());
            var details = wrong.Count == 0 ? $"all {expected.Count} saved values correct" : string.Join("; ", wrong);
            return new EpisodeScore((double)right / expected.Count, wrong.Count == 0, task.ExpectedAnswer, got, details);
        }
    }
}
