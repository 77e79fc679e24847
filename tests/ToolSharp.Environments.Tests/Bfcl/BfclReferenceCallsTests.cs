using ToolSharp.Environments.Bfcl.Leaderboard;
using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Environments.Episodes;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Bfcl;

/// <summary>BFCL's reference calls (the ground truth ToolRL's reward matches against), on the real data.</summary>
public class BfclReferenceCallsTests
{
    private static readonly BfclEnvironment Env = new();

    private static IReadOnlyList<ToolCall> Reference(string id) => Env.ReferenceCalls(Env.FindTask(id)!)!;

    private static string Describe(string id) => BfclGroundTruth.Describe(Reference(id));

    [RequiresDataTheory(BfclData.Folder)]
    [InlineData("simple_python")]
    [InlineData("multiple")]
    [InlineData("parallel")]
    [InlineData("parallel_multiple")]
    public void Every_reference_gets_full_marks_from_the_episode_scorer(string split)
    {
        var count = Env.TaskCount(split)!.Value;
        count.ShouldBeGreaterThanOrEqualTo(200);
        for (var i = 0; i < count; i++)
        {
            var task = Env.GetTask(split, i);
            var reference = Env.ReferenceCalls(task)!;
            reference.Count.ShouldBe(task.Data.GetProperty("ground_truth").GetArrayLength(), task.Id);
            var episode = Env.CreateEpisode(task);
            var score = episode.Score(episode.Start().Append(Message.Assistant(null, reference)));
            score.Correct.ShouldBeTrue($"{task.Id}: {BfclGroundTruth.Describe(reference)}: {score.Details}");
        }
    }

    [RequiresDataFact(BfclData.Folder)]
    public void A_parameter_that_may_be_left_out_is_left_out_unless_the_doc_requires_it()
    {
        // unit: ["units", ""] — optional, so omitted (FirstAnswers, which the task's expected answer shows, keeps it).
        Describe("simple_python_0").ShouldBe("calculate_triangle_area(base=10, height=5)");
        Env.FindTask("simple_python_0")!.ExpectedAnswer.ShouldBe("calculate_triangle_area(base=10, height=5, unit=\"units\")");
        // formatted: [true, ""] but required by the doc: the checker demands it, so it stays.
        Describe("simple_python_17").ShouldBe("get_prime_factors(number=450, formatted=true)");
        // root_type: ["all"] is optional in the doc but its answers do not allow leaving it out.
        Describe("simple_python_5").ShouldBe("solve_quadratic(a=3, b=-11, c=-4, root_type=\"all\")");
        // multiple_0: three optional flags ["", true].
        Describe("multiple_0").ShouldBe("triangle_properties.get(side1=5, side2=4, side3=3)");
        // Per call: copper ["copper", ""] is the default and left out, aluminum ["aluminum"] must be said.
        Describe("parallel_2").ShouldBe("calculate_resistance(length=5, area=0.01); calculate_resistance(length=5, area=0.01, resistivity=\"aluminum\")");
        Describe("parallel_multiple_0").ShouldBe("math_toolkit.sum_of_multiples(lower_limit=1, upper_limit=1000, multiples=[3,5]); math_toolkit.product_of_primes(count=5)");
    }

    [RequiresDataTheory(BfclData.Folder)]
    [InlineData("simple_python")]
    [InlineData("multiple")]
    [InlineData("parallel")]
    [InlineData("parallel_multiple")]
    public void Every_kept_parameter_takes_its_first_accepted_value_and_only_omittable_ones_are_dropped(string split)
    {
        var kept = 0;
        var dropped = 0;
        foreach (var task in Env.Tasks(split))
        {
            var functions = task.Data.GetProperty("function");
            var truth = task.Data.GetProperty("ground_truth").EnumerateArray().SelectMany(e => e.EnumerateObject()).ToList();
            var reference = Env.ReferenceCalls(task)!;
            for (var c = 0; c < reference.Count; c++)
            {
                var call = reference[c];
                call.Name.ShouldBe(truth[c].Name, task.Id);
                var required = Required(functions, call.Name);
                foreach (var param in truth[c].Value.EnumerateObject())
                {
                    var accepted = param.Value.EnumerateArray().ToList();
                    var omittable = accepted.Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == "");
                    var declared = Declared(functions, call.Name).Contains(param.Name);
                    if (!call.Arguments.TryGetProperty(param.Name, out var value))
                    {
                        (omittable && !required.Contains(param.Name) || !declared).ShouldBeTrue($"{task.Id}: {param.Name} left out");
                        dropped++;
                        continue;
                    }
                    (!omittable || required.Contains(param.Name)).ShouldBeTrue($"{task.Id}: {param.Name} may be left out, yet was kept");
                    var first = accepted.First(a => !(a.ValueKind == JsonValueKind.String && a.GetString() == ""));
                    // Dict answers list accepted values per key; those are built key by key, not copied.
                    if (first.ValueKind == JsonValueKind.Object || first.ValueKind == JsonValueKind.Array && first.EnumerateArray().Any(x => x.ValueKind == JsonValueKind.Object))
                        continue;
                    JsonElement.DeepEquals(value, first).ShouldBeTrue($"{task.Id}: {param.Name} = {JsonValues.ToCompact(value)}, first accepted {JsonValues.ToCompact(first)}");
                    kept++;
                }
            }
        }
        kept.ShouldBeGreaterThan(300);
        dropped.ShouldBeGreaterThan(30);
    }

    [RequiresDataFact(BfclData.Folder)]
    public void Irrelevance_tasks_are_answered_by_no_call_and_tasks_without_bfcl_data_have_no_reference()
    {
        Env.ReferenceCalls(Env.GetTask("irrelevance", 0))!.ShouldBeEmpty();
        Env.ReferenceCalls(new EnvironmentTask("x", "simple_python", 0, ["q"], "")).ShouldBeNull();
        // Only the first of BFCL's accepted values counts, so the reference is one concrete call, not a pattern.
        Reference("simple_python_1").ShouldBe([new ToolCall("math.factorial", JsonValues.Parse("""{"number": 5}"""))]);
    }

    private static HashSet<string> Required(JsonElement functions, string name) =>
        Doc(functions, name).TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToHashSet() : [];

    private static HashSet<string> Declared(JsonElement functions, string name) =>
        Doc(functions, name).GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();

    private static JsonElement Doc(JsonElement functions, string name) =>
        functions.EnumerateArray().First(f => f.GetProperty("name").GetString() == name).GetProperty("parameters");
}
