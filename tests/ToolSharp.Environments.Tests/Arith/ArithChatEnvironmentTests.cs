using ToolSharp.Core.Errors;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Arith;
using ToolSharp.Environments.Calculator;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Scoring;

namespace ToolSharp.Environments.Tests.Arith;

public class ArithChatEnvironmentTests
{
    private static readonly ArithChatEnvironment Linked = new();
    private static readonly ArithChatEnvironment Unlinked = new(linked: false);

    private static ModelTurn Calc(string expression) =>
        ModelTurn.Of(Message.Assistant(null, [ToolCall.FromJson("calculator", $$"""{"expression": "{{expression}}"}""")]));

    private static ModelTurn Say(string text) => ModelTurn.Of(Message.Assistant(text));

    [Fact]
    public void Tasks_are_multi_turn_deterministic_and_named_by_their_options()
    {
        Linked.GetTask("test", 3).ShouldBe(new ArithChatEnvironment().GetTask("test", 3));
        Enumerable.Range(0, 100).Select(i => Linked.GetTask("train", i).UserTurns.Count).Distinct().Order().ShouldBe([2, 3]);
        Linked.Name.ShouldBe("arith-chat");
        EnvironmentCatalog.Create("arith-chat:turns=1-4,linked=false,digits=2-3,seed=5").Name
            .ShouldBe("arith-chat:turns=1-4,digits=2-3,linked=false,seed=5");
        Should.Throw<ToolSharpException>(() => EnvironmentCatalog.Create("arith-chat:linked=yes"))
            .Message.ShouldBe("environment 'arith-chat': option linked: expected true or false, found 'yes'");
        Should.Throw<ToolSharpException>(() => EnvironmentCatalog.Create("arith-chat:turns=0-5")).Message.ShouldContain("turns must lie within 1-4");
    }

    [Fact]
    public void Linked_turns_continue_from_the_previous_answer_and_unlinked_turns_do_not()
    {
        foreach (var index in Enumerable.Range(0, 50))
        {
            var plan = Linked.Plan("test", index);
            for (var t = 1; t < plan.Count; t++)
            {
                plan[t].Question.ShouldStartWith("Then ");
                plan[t].Expression.ShouldStartWith(plan[t - 1].Answer.ToString(System.Globalization.CultureInfo.InvariantCulture));
                CalculatorTool.Evaluate(plan[t].Expression).ShouldBe(plan[t].Answer.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            Unlinked.Plan("test", index).Skip(1).ShouldAllBe(t => !t.Question.StartsWith("Then "));
        }
    }

    [Fact]
    public async Task The_demonstration_played_through_the_driver_answers_every_turn()
    {
        foreach (var env in new[] { Linked, Unlinked })
        foreach (var index in Enumerable.Range(0, 20))
        {
            var task = env.GetTask("test", index);
            var demo = env.Demonstration(task);
            demo.Messages.Count(m => m.Role == ChatRole.User).ShouldBe(task.UserTurns.Count);
            var driver = EpisodeDriver.Start(env, task);
            foreach (var message in demo.Messages.Where(m => m.Role == ChatRole.Assistant))
                await driver.SubmitAsync(ModelTurn.Of(message));
            driver.IsFinished.ShouldBeTrue();
            driver.Ending.ShouldBe(EpisodeEnding.Answered);
            var score = driver.Score();
            score.Correct.ShouldBeTrue(score.Details);
            score.Reward.ShouldBe(1.0);
            driver.Transcript.Messages.Count(m => m.Role == ChatRole.User).ShouldBe(task.UserTurns.Count);
        }
    }

    [Fact]
    public async Task A_wrong_later_turn_earns_the_share_of_turns_answered_right()
    {
        var task = Enumerable.Range(0, 50).Select(i => Linked.GetTask("test", i)).First(t => t.UserTurns.Count == 3);
        var plan = Linked.Plan(task.Split, task.Index);
        var driver = EpisodeDriver.Start(Linked, task);
        await driver.SubmitAsync(Calc(plan[0].Expression));
        (await driver.SubmitAsync(Say($"Answer: {plan[0].Answer}"))).Next.ShouldBe(TurnNext.UserTurn);
        (await driver.SubmitAsync(Say("Answer: 1"))).Next.ShouldBe(TurnNext.UserTurn);
        (await driver.SubmitAsync(Say("I am not sure."))).Next.ShouldBe(TurnNext.Finished);
        var score = driver.Score();
        score.Reward.ShouldBe(1.0 / 3, 1e-12);
        score.Correct.ShouldBeFalse();
        score.Got.ShouldBe($"{plan[0].Answer}, 1, ?");
        score.Details.ShouldBe($"turn 2: 1, expected {plan[1].Answer}; turn 3: no number (expected {plan[2].Answer})");
    }

    [Fact]
    public void Turns_without_any_assistant_text_count_as_unanswered()
    {
        var transcript = new Conversation([Message.System("s"), Message.User("a"), Message.Assistant("Answer: 5"), Message.User("b")]);
        TurnAnswersScorer.AnswerPerTurn(transcript).ShouldBe(["Answer: 5", null]);
        var task = new EnvironmentTask("t", "test", 0, ["a", "b"], "5, 6", 2, TurnAnswersScorer.Data(["5", "6"]));
        var score = TurnAnswersScorer.Instance.Score(task, transcript);
        score.Reward.ShouldBe(0.5);
        score.Details.ShouldBe("turn 2: no answer (expected 6)");
    }
}
