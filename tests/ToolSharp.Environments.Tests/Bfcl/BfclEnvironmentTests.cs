using ToolSharp.Environments.Bfcl.Leaderboard;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Environments.Episodes;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Bfcl;

public class BfclEnvironmentTests
{
    [RequiresDataFact(BfclData.Folder)]
    public void Splits_are_the_categories_and_ids_are_bfcl_ids()
    {
        var env = new BfclEnvironment();
        env.Splits.ShouldBe(["simple_python", "multiple", "parallel", "parallel_multiple", "irrelevance",
            "multi_turn_base", "multi_turn_miss_func", "multi_turn_miss_param", "multi_turn_long_context"]);
        env.TaskCount("simple_python").ShouldBe(400);
        env.TaskCount("irrelevance").ShouldBe(240);
        var task = env.GetTask("simple_python", 1);
        task.Id.ShouldBe("simple_python_1");
        task.Question.ShouldBe("Calculate the factorial of 5 using math functions.");
        task.ExpectedAnswer.ShouldBe("math.factorial(number=5)");
        env.FindTask("parallel_3")!.Index.ShouldBe(3);
        env.FindTask("live_simple_3").ShouldBeNull();
        env.GetTask("irrelevance", 0).ExpectedAnswer.ShouldBe("(no call)");
    }

    [RequiresDataFact(BfclData.Folder)]
    public async Task Episodes_offer_the_task_functions_and_score_the_first_response()
    {
        var env = new BfclEnvironment();
        var task = env.GetTask("simple_python", 1);
        var episode = env.CreateEpisode(task);
        episode.MaxAssistantTurns.ShouldBe(1);
        episode.ToolSpecs.Single().Name.ShouldBe("math.factorial");
        episode.ToolSpecs.Single().Parameters.GetProperty("type").GetString().ShouldBe("object"); // BFCL "dict" normalised

        var call = ToolCall.FromJson("math.factorial", """{"number": 5}""", "c1");
        var good = episode.Start().Append(Message.Assistant(null, [call]));
        episode.Score(good).ShouldBe(EpisodeScore.Binary(true, "math.factorial(number=5)", "math.factorial(number=5)", "valid"));

        var wrong = episode.Start().Append(Message.Assistant(null, [ToolCall.FromJson("math.factorial", """{"number": 6}""")]));
        var score = episode.Score(wrong);
        score.Correct.ShouldBeFalse();
        score.Details.ShouldStartWith("value_error:others: ");

        // Declared-only tools answer with an error rather than pretending to run.
        (await episode.ExecuteAsync(call)).Error!.Kind.ShouldBe(ToolCallErrorKind.ExecutionFailed);

        var irrelevance = env.CreateEpisode(env.GetTask("irrelevance", 0));
        irrelevance.Score(irrelevance.Start().Append(Message.Assistant("None of these functions can compute a triangle's area."))).Correct.ShouldBeTrue();
    }
}
