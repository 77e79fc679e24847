using System.Text;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Randomness;
using ToolSharp.Core.Tools;

namespace ToolSharp.Testing;

/// <summary>Seeded random tool-calling conversations (system prompts, tools, parallel calls, results, reasoning, non-ASCII text) for renderer-equality tests.</summary>
public static class SampleConversations
{
    private static readonly string[] Words =
    [
        "What", "is", "2+3?", "Answer:", "42", "naïve", "café", "日本語", "😀", "Ünïcödé", "\"quoted\"", "back\\slash", "tab\there",
        "new\nline", "<b>", "a&b", "{\"json\": 1}", "x", "", " ", "[1, 2]", "—", "ß", "Ελληνικά", "\u00e9t\u00e9",
    ];

    private static readonly ToolSpec[] ToolPool =
    [
        new("calculator", "Evaluate an arithmetic expression.", JsonValues.Parse("""{"type":"object","properties":{"expression":{"type":"string"}},"required":["expression"]}""")),
        new("lookup", "Look a name up.", JsonValues.Parse("""{"type":"object","properties":{"name":{"type":"string"},"limit":{"type":"integer"},"exact":{"type":"boolean"}},"required":["name"]}""")),
        new("now", "The time.", JsonValues.Parse("""{"type":"object","properties":{}}""")),
        new("save", "Save a value.", JsonValues.Parse("""{"type":"object","properties":{"key":{"type":"string"},"value":{"type":"number"}},"required":["key","value"]}""")),
        new("no_required", "All optional.", JsonValues.Parse("""{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}}}""")),
    ];

    /// <summary>The fixed cases every renderer test starts with, then <paramref name="randomCount"/> random ones.</summary>
    public static IReadOnlyList<Conversation> All(int randomCount = 60, ulong seed = 17)
    {
        var list = new List<Conversation>(Fixed());
        var rng = new SeededRandom(seed);
        for (var i = 0; i < randomCount; i++) list.Add(Random(rng));
        return list;
    }

    /// <summary>The documented dialogue and its edge cases (no system, empty system, several system turns, parallel calls, reasoning).</summary>
    public static IReadOnlyList<Conversation> Fixed()
    {
        var calc = ToolPool[0];
        var call = ToolCall.FromJson("calculator", """{"expression":"2+3"}""", "c1");
        return
        [
            new([Message.System("Use tools."), Message.User("What is 2+3?"), Message.Assistant(null, [call]), Message.Tool("c1", "calculator", "5"), Message.Assistant("Answer: 5")], [calc]),
            new([Message.User("What is 2+3?")], [calc]),
            new([Message.User("hi")]),
            new([Message.System(""), Message.User("hi")], [calc]),
            new([Message.System(""), Message.System(""), Message.User("hi")]),
            new([Message.System("a"), Message.System("b"), Message.User("hi"), Message.System("late"), Message.Assistant("ok")], ToolPool),
            new([Message.User("two"), Message.Assistant("Let me see.", [call, ToolCall.FromJson("lookup", """{"name":"Zoë","limit":3,"exact":true}""", "c2")]),
                Message.Tool("c1", "calculator", "5"), Message.Tool("c2", "lookup", "[\"Zoë\"]"), Message.Assistant("Done.", reasoning: "both returned")], ToolPool),
            new([Message.User("t"), Message.Assistant(null, [ToolCall.FromJson("now", "{}", "n")]), Message.Tool("n", "now", ""), Message.Assistant("")], [ToolPool[2]]),
        ];
    }

    /// <summary>One random conversation: optional system turns, then user/assistant/tool turns in a plausible order.</summary>
    public static Conversation Random(SeededRandom rng)
    {
        var tools = ToolPool.Where(_ => rng.NextDouble() < 0.4).ToList();
        var messages = new List<Message>();
        var systems = rng.Next(3);
        for (var i = 0; i < systems; i++) messages.Add(Message.System(Text(rng)));
        var turns = 1 + rng.Next(4);
        for (var t = 0; t < turns; t++)
        {
            messages.Add(Message.User(Text(rng)));
            if (rng.NextDouble() < 0.1) messages.Add(Message.System(Text(rng)));
            if (rng.NextDouble() < 0.2 && t == turns - 1) break;
            var calls = tools.Count == 0 || rng.NextDouble() < 0.3 ? 0 : 1 + rng.Next(2);
            var callList = Enumerable.Range(0, calls).Select(c => Call(rng, tools[rng.Next(tools.Count)], $"call_{t}_{c}")).ToList();
            var reasoning = rng.NextDouble() < 0.15 ? Text(rng) : null;
            messages.Add(Message.Assistant(calls > 0 && rng.NextDouble() < 0.6 ? null : Text(rng), callList, reasoning));
            foreach (var c in callList) messages.Add(Message.Tool(c.Id, c.Name, Text(rng)));
            if (calls > 0) messages.Add(Message.Assistant(Text(rng)));
        }
        return new Conversation(messages, tools);
    }

    private static ToolCall Call(SeededRandom rng, ToolSpec tool, string id)
    {
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var p in tool.ParameterNames)
        {
            if (!tool.RequiredParameters.Contains(p) && rng.NextDouble() < 0.5) continue;
            if (!first) sb.Append(',');
            first = false;
            PythonStyleJson.WriteString(sb, p);
            sb.Append(':');
            var type = tool.ParameterSchema(p)?.GetProperty("type").GetString();
            switch (type)
            {
                case "integer": sb.Append(rng.Next(1000) - 500); break;
                case "number": sb.Append(((rng.Next(20000) - 10000) / 100.0).ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                case "boolean": sb.Append(rng.NextDouble() < 0.5 ? "true" : "false"); break;
                default: PythonStyleJson.WriteString(sb, Text(rng)); break;
            }
        }
        return ToolCall.FromJson(tool.Name, sb.Append('}').ToString(), id);
    }

    private static string Text(SeededRandom rng)
    {
        var n = rng.Next(6);
        return string.Join(" ", Enumerable.Range(0, n).Select(_ => Words[rng.Next(Words.Length)]));
    }
}
