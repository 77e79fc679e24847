using ToolSharp.Core.WireFormats;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Hashing;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Environments.Bfcl.Leaderboard;
using ToolSharp.Environments.Bfcl.MultiTurn;
using ToolSharp.Environments.Episodes;
using ToolSharp.Testing;

namespace ToolSharp.Evaluation.Tests.Fakes;

/// <summary>A deterministic stand-in for a tool-calling model behind the fake OpenAI server: it knows the tasks' answers
/// and solves each one with a probability that depends on the model's skill, the system prompt and the temperature,
/// decided by a hash of the request — so sweeps over it have real, reproducible factor effects.</summary>
public sealed class SimulatedEndpoint
{
    private readonly List<EnvironmentTask> _tasks;
    private readonly IReadOnlyDictionary<string, double> _skill;

    public SimulatedEndpoint(IEnumerable<EnvironmentTask> tasks, IReadOnlyDictionary<string, double> skill)
    {
        _tasks = tasks.OrderByDescending(t => t.Question.Length).ToList();
        _skill = skill;
    }

    public FakeResponse Handle(FakeRequest request)
    {
        var body = request.Body;
        var model = body.GetProperty("model").GetString()!;
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        var native = body.TryGetProperty("tools", out _);
        var system = messages.Where(m => m.GetProperty("role").GetString() == "system").Select(m => m.GetProperty("content").GetString()).FirstOrDefault() ?? "";
        var userTexts = messages.Where(m => m.GetProperty("role").GetString() == "user").Select(m => m.GetProperty("content").GetString() ?? "").ToList();
        var task = _tasks.FirstOrDefault(t => userTexts.Any(u => u.Contains(t.Question, StringComparison.Ordinal)));
        var promptTokens = body.GetRawText().Length / 4;
        if (task is null) return FakeResponse.Chat("I do not know.", promptTokens: promptTokens);

        var seed = body.TryGetProperty("seed", out var s) ? s.GetInt64() : 0;
        var temperature = body.TryGetProperty("temperature", out var t) ? t.GetDouble() : 1;
        var key = string.Join("|", model, task.Id, seed.ToString(CultureInfo.InvariantCulture), temperature.ToString(CultureInfo.InvariantCulture), StableHash.Of(system));
        var u = BitConverter.ToUInt64(Convert.FromHexString(StableHash.Of(key)[..16])) / (double)ulong.MaxValue;
        var p = _skill.GetValueOrDefault(model, 0.5) - (system.Contains("Answer:", StringComparison.Ordinal) ? 0 : 0.15) - (temperature > 0 ? 0.1 : 0);
        var correct = u < p;

        var answered = messages.Any(m => m.GetProperty("role").GetString() == "tool") ||
                       userTexts.Any(x => x.Contains("<tool_response>", StringComparison.Ordinal) || x.Contains("### Tool result", StringComparison.Ordinal));

        if (task.Data.ValueKind == JsonValueKind.Object && task.Data.TryGetProperty("multi_turn", out _))
            return MultiTurn(task, messages, native, correct, promptTokens);

        if (task.Data.ValueKind == JsonValueKind.Object && task.Data.TryGetProperty("function", out var functions))
        {
            var category = task.Data.GetProperty("category").GetString();
            IReadOnlyList<ToolCall> calls = category == "irrelevance"
                ? (correct ? [] : [new ToolCall(functions[0].GetProperty("name").GetString()!, JsonValues.EmptyObject)])
                : (correct ? BfclGroundTruth.FirstAnswers(task.Data.GetProperty("ground_truth"), functions) : []);
            return Reply(native, calls, calls.Count == 0 ? "None of the functions fit." : null, promptTokens);
        }

        var value = correct ? task.ExpectedAnswer : (decimal.Parse(task.ExpectedAnswer, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        if (answered) return FakeResponse.Chat("Answer: " + value, promptTokens: promptTokens, completionTokens: 4);
        return Reply(native, [ToolCall.FromJson("calculator", JsonSerializer.Serialize(new { expression = value }), "call_0")], null, promptTokens);
    }

    /// <summary>BFCL multi-turn: a correct model sends each user turn's ground-truth calls as one step, then closes the
    /// turn with text; a wrong one closes every turn without calls. The turn is the count of real user messages (in
    /// prompt mode tool results come back as user messages too).</summary>
    private static FakeResponse MultiTurn(EnvironmentTask task, List<JsonElement> messages, bool native, bool correct, int promptTokens)
    {
        static bool IsToolResult(JsonElement m) =>
            m.GetProperty("role").GetString() == "tool" ||
            (m.GetProperty("role").GetString() == "user" && (m.GetProperty("content").GetString() ?? "").Contains("<tool_response>", StringComparison.Ordinal));
        var turn = messages.Count(m => m.GetProperty("role").GetString() == "user" && !IsToolResult(m)) - 1;
        if (!correct || IsToolResult(messages[^1])) return FakeResponse.Chat("Done.", promptTokens: promptTokens, completionTokens: 2);
        var entry = Bfcl.MultiTurnEntries(task.Split)[task.Index];
        var tools = Bfcl.CreateEpisode(task).ToolSpecs;
        var calls = entry.GroundTruth[turn].Select(c => BfclCallParser.Parse(c, tools)).ToList();
        return Reply(native, calls, "Nothing to do.", promptTokens);
    }

    private static readonly BfclEnvironment Bfcl = new();

    private static FakeResponse Reply(bool native, IReadOnlyList<ToolCall> calls, string? text, int promptTokens)
    {
        if (calls.Count == 0) return FakeResponse.Chat(text ?? "", promptTokens: promptTokens);
        if (native)
        {
            var json = JsonValues.Build(w => OpenAiChatJson.WriteToolCalls(w, calls.Select((c, i) => c.WithId($"call_{i}"))));
            return FakeResponse.Chat(null, JsonValues.ToCompact(json), promptTokens, 20, "tool_calls");
        }
        var sb = new StringBuilder();
        foreach (var c in calls) sb.Append(Core.Formats.ToolCallFormats.Hermes.Format([c.WithId(null)])).Append('\n');
        return FakeResponse.Chat(sb.ToString().TrimEnd(), promptTokens: promptTokens, completionTokens: 20);
    }
}
