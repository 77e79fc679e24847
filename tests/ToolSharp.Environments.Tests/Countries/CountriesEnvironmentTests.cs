using ToolSharp.Environments.Catalog;
using System.Text.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Countries;
using ToolSharp.Environments.Episodes;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Countries;

public class CountriesEnvironmentTests
{
    private const string Data = CountryData.DataFile;

    [RequiresDataFact(Data)]
    public void Questions_are_deterministic_and_the_seed_only_reorders()
    {
        var env = new CountriesEnvironment();
        env.TaskCount("train").ShouldBe(1001);
        env.TaskCount("test").ShouldBe(236);
        env.GetTask("test", 0).ShouldBe(new CountriesEnvironment().GetTask("test", 0));
        var reseeded = new CountriesEnvironment(seed: 3);
        reseeded.Name.ShouldBe("countries:seed=3");
        reseeded.GetTask("test", 0).Question.ShouldNotBe(env.GetTask("test", 0).Question);
        env.Tasks("test").Select(t => t.Question).Order().ShouldBe(reseeded.Tasks("test").Select(t => t.Question).Order());
        env.Tasks("test").Select(t => t.Difficulty).Distinct().Order().ShouldBe([1, 2, 3]);
    }

    /// <summary>Solves every question with the tools alone, the way an agent would, and checks that answer scores 1.</summary>
    [RequiresDataFact(Data)]
    public async Task Every_question_is_answerable_from_tool_outputs()
    {
        var env = new CountriesEnvironment();
        var solved = 0;
        foreach (var split in env.Splits)
        {
            foreach (var task in env.Tasks(split))
            {
                solved++;
                var q = env.Question(split, task.Index);
                var episode = env.CreateEpisode(task);
                var answer = await Solve(episode, q);
                var score = episode.Score(episode.Start().Append(Message.Assistant($"Answer: {answer}")));
                score.Correct.ShouldBeTrue($"{task.Id} {q.Text}: tools say {answer}, expected {q.Answer}");
                episode.ToolCalls.AnyFailed.ShouldBeFalse(task.Id);
            }
        }
        solved.ShouldBe(env.Splits.Sum(s => env.TaskCount(s)!.Value));
    }

    private static async Task<string> Solve(Episode episode, CountryQuestion q)
    {
        async Task<JsonElement> Call(string tool, string args)
        {
            var result = await episode.ExecuteAsync(ToolCall.FromJson(tool, args));
            result.IsError.ShouldBeFalse(result.Content);
            return JsonDocument.Parse(result.Content).RootElement.Clone();
        }
        string Arg(string value) => JsonSerializer.Serialize(value);
        var subject = q.Text;
        switch (q.Template)
        {
            case "capital":
                return (await Call("lookup_country", $$"""{"name":{{Arg(Between(subject, "capital of ", "?"))}}}""")).GetProperty("capital")[0].GetString()!;
            case "currency":
                return (await Call("lookup_country", $$"""{"name":{{Arg(Between(subject, "currency of ", "?"))}}}""")).GetProperty("currencies")[0].GetProperty("code").GetString()!;
            case "subregion":
                return (await Call("lookup_country", $$"""{"name":{{Arg(Between(subject, "is ", "?"))}}}""")).GetProperty("subregion").GetString()!;
            case "border_count":
                return (await Call("lookup_country", $$"""{"name":{{Arg(Between(subject, "border with ", "?"))}}}""")).GetProperty("borders").GetArrayLength().ToString();
            case "largest_neighbour":
            case "largest_neighbour_capital":
            {
                var code = (await Call("lookup_country", $$"""{"name":{{Arg(Between(subject, "country of ", q.Template == "largest_neighbour" ? " has the largest area?" : "?"))}}}""")).GetProperty("code").GetString()!;
                var largest = (await Call("get_borders", $$"""{"code":"{{code}}"}""")).EnumerateArray().MaxBy(n => n.GetProperty("area").GetDouble());
                if (q.Template == "largest_neighbour") return largest.GetProperty("name").GetString()!;
                return (await Call("lookup_country", $$"""{"name":"{{largest.GetProperty("code").GetString()}}"}""")).GetProperty("capital")[0].GetString()!;
            }
            case "language_count":
                return (await Call("search_countries", $$"""{"region":{{Arg(Between(subject, "countries in ", " have "))}},"language":{{Arg(Between(subject, " have ", " as an official"))}}}"""))
                    .GetProperty("count").GetInt32().ToString();
            case "currency_count":
                return (await Call("search_countries", $$"""{"currency":{{Arg(Between(subject, "(", ")"))}}}""")).GetProperty("count").GetInt32().ToString();
            default:
                throw new InvalidOperationException("untested template " + q.Template);
        }
    }

    private static string Between(string text, string start, string end)
    {
        var i = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[i..text.LastIndexOf(end, StringComparison.Ordinal)];
    }

    /// <summary>Replays every demonstration through a fresh episode: same tool outputs, one call per hop, full reward.</summary>
    [RequiresDataFact(Data)]
    public async Task Demonstrations_make_one_call_per_hop_and_solve_their_task()
    {
        var env = new CountriesEnvironment();
        var replayed = 0;
        foreach (var split in env.Splits)
        {
            foreach (var task in env.Tasks(split))
            {
                replayed++;
                var demo = env.Demonstration(task, instructions: "");
                demo.Messages[0].ShouldBe(Message.User(task.Question));
                var calls = demo.Messages.Where(m => m.ToolCalls is { Count: > 0 }).SelectMany(m => m.ToolCalls!).ToList();
                calls.Count.ShouldBe(task.Difficulty, task.Id);
                var episode = env.CreateEpisode(task);
                var results = demo.Messages.Where(m => m.Role == ChatRole.Tool).Select(m => m.Content).ToList();
                for (var i = 0; i < calls.Count; i++)
                    (await episode.ExecuteAsync(calls[i])).Content.ShouldBe(results[i], task.Id);
                episode.Score(demo).Correct.ShouldBeTrue($"{task.Id}: {task.Question}");
            }
        }
        replayed.ShouldBe(env.Splits.Sum(s => env.TaskCount(s)!.Value));
    }

    [RequiresDataFact(Data)]
    public void Hops_option_keeps_the_multi_hop_questions_with_the_same_split()
    {
        var all = new CountriesEnvironment();
        var multi = (CountriesEnvironment)EnvironmentCatalog.Create("countries:hops=2-3");
        multi.Name.ShouldBe("countries:hops=2-3");
        multi.Tasks("test").Select(t => t.Difficulty).Distinct().Order().ShouldBe([2, 3]);
        multi.Tasks("test").Select(t => t.Question).Order()
            .ShouldBe(all.Tasks("test").Where(t => t.Difficulty >= 2).Select(t => t.Question).Order());
        Should.Throw<ToolSharp.Core.Errors.ToolSharpException>(() => new CountriesEnvironment(hops: (2, 4))).Message.ShouldContain("hops must lie within 1-3");
    }

    [RequiresDataFact(Data)]
    public async Task Tools_accept_names_codes_and_spellings_and_explain_failures()
    {
        var env = new CountriesEnvironment();
        var episode = env.CreateEpisode(env.GetTask("test", 0), new ToolSharp.Environments.Tools.ToolExecutionOptions { MaxCalls = null });
        async Task<ToolResult> Run(string tool, string args) => await episode.ExecuteAsync(ToolCall.FromJson(tool, args));

        foreach (var name in new[] { "France", "fra", "FR", "French Republic", "  france " })
            (await Run("lookup_country", $$"""{"name":"{{name}}"}""")).Content.ShouldStartWith("""{"name":"France","official_name":"French Republic","code":"FRA","capital":["Paris"]""");
        (await Run("lookup_country", """{"name":"Cote d'Ivoire"}""")).Content.ShouldContain("\"code\":\"CIV\"");
        (await Run("lookup_country", """{"name":"Atlantis"}""")).Content.ShouldBe("Error: no country named 'Atlantis'");
        (await Run("lookup_country", """{"name":"Guinea Republic"}""")).Content.ShouldStartWith("Error: no country named 'Guinea Republic' (did you mean");
        (await Run("get_borders", """{"code":"ISL"}""")).Content.ShouldBe("[]");
        (await Run("get_borders", """{"code":"XXX"}""")).Content.ShouldBe("Error: no country with code 'XXX' (use lookup_country to find a code)");
        (await Run("search_countries", "{}")).Content.ShouldBe("Error: give at least one of region, language, currency");
        (await Run("search_countries", """{"region":"western europe","currency":"euro"}""")).Content.ShouldStartWith("""{"count":6,""");
    }

    [Theory]
    [InlineData("Answer: Berlin", true)]
    [InlineData("Berlin.", true)]
    [InlineData("The largest neighbour is Germany, whose capital is Berlin.", false)]
    [InlineData("Answer: berlin.", true)]
    [InlineData("Answer: Berlin, Germany", true)]
    [InlineData("Answer: Bonn", false)]
    [InlineData("Answer: Paris, Rome, Madrid, Lisbon, Berlin, Vienna", false)]
    [InlineData("Berlinale", false)]
    public void Text_answers_match_whole_words_of_an_accepted_form(string text, bool correct)
    {
        ToolSharp.Environments.Scoring.TextAnswer.Matches(text, ["Berlin"]).ShouldBe(correct);
    }

    [Fact]
    public void Accents_case_punctuation_and_a_leading_the_are_ignored()
    {
        ToolSharp.Environments.Scoring.TextAnswer.Matches("Answer: the Democratic Republic of the Congo", ["Democratic Republic of the Congo"]).ShouldBeTrue();
        ToolSharp.Environments.Scoring.TextAnswer.Matches("Answer: Réunion", ["Reunion"]).ShouldBeTrue();
        ToolSharp.Environments.Scoring.TextAnswer.Fold("Côte d'Ivoire!").ShouldBe("cote d ivoire");
        ToolSharp.Environments.Scoring.TextAnswer.Fold("São Tomé and Príncipe, Curaçao, Åland").ShouldBe("sao tome and principe curacao aland");
    }
}
