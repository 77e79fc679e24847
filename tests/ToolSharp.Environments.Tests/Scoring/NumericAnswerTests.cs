using ToolSharp.Core.Messages;
using ToolSharp.Environments.Calculator;
using ToolSharp.Environments.Episodes;
using ToolSharp.Environments.Scoring;

namespace ToolSharp.Environments.Tests.Scoring;

public class NumericAnswerTests
{
    [Theory]
    [InlineData("Answer: 72", "72", NumericAnswer.Source.AnswerMarker)]
    [InlineData("The total is 40 + 32.\nAnswer: 72.", "72", NumericAnswer.Source.AnswerMarker)]
    [InlineData("answer is: $1,234.50", "1234.5", NumericAnswer.Source.AnswerMarker)]
    [InlineData("Answer: 72.0 clips", "72", NumericAnswer.Source.AnswerMarker)]
    [InlineData("Answer: −5", "-5", NumericAnswer.Source.AnswerMarker)]
    [InlineData("Answer: 3/4", "0.75", NumericAnswer.Source.AnswerMarker)]
    [InlineData("Answer: 12%", "12", NumericAnswer.Source.AnswerMarker)]
    [InlineData("Natalia sold 48+24 = 72 clips.\n#### 72", "72", NumericAnswer.Source.HashMarker)]
    [InlineData("so \\boxed{18} is it", "18", NumericAnswer.Source.Boxed)]
    [InlineData("She has 5 apples and buys 3, so 8 in total", "8", NumericAnswer.Source.LastNumber)]
    [InlineData("It costs $1,000,000 now.", "1000000", NumericAnswer.Source.LastNumber)]
    [InlineData("Answer: first 3, then Answer: 9", "9", NumericAnswer.Source.AnswerMarker)]
    [InlineData("Answer: unsure\nbut it is 7", "7", NumericAnswer.Source.LastNumber)]
    [InlineData("Answer: 5\nOn second thought:\n#### 6", "6", NumericAnswer.Source.HashMarker)]
    [InlineData("24 answers * 2 points/answer = 48 points.\n#### 66", "66", NumericAnswer.Source.HashMarker)]
    public void Extracts_the_answer_number(string text, string expected, NumericAnswer.Source source)
    {
        NumericAnswer.TryExtract(text, out var value, out var how).ShouldBeTrue();
        value.ShouldBe(Rational.Parse(expected));
        how.ShouldBe(source);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("I don't know.")]
    public void Text_without_numbers_has_no_answer(string? text)
    {
        NumericAnswer.TryExtract(text, out _, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("1,000", "1000")]
    [InlineData("$18", "18")]
    [InlineData("-0.50", "-1/2")]
    [InlineData("10.", "10")]
    public void Parses_numbers_as_people_write_them(string text, string expected)
    {
        NumericAnswer.TryParseNumber(text, out var value).ShouldBeTrue();
        NumericAnswer.TryParseNumber(expected, out var want).ShouldBeTrue();
        value.ShouldBe(want);
    }

    private static readonly EnvironmentTask Task = new("test/0", "test", 0, ["What is 48/2?"], "24");

    private static Conversation Transcript(params Message[] messages) => new([Message.User(Task.Question), .. messages]);

    [Fact]
    public void Scorer_rewards_the_exact_number()
    {
        var score = NumericAnswerScorer.Instance.Score(Task, Transcript(Message.Assistant("Answer: 24.0")));
        score.ShouldBe(new EpisodeScore(1, true, "24", "24", "correct, from 'Answer:'"));
    }

    [Fact]
    public void Scorer_explains_wrong_and_missing_answers()
    {
        var wrong = NumericAnswerScorer.Instance.Score(Task, Transcript(Message.Assistant("Answer: 25")));
        (wrong.Reward, wrong.Correct, wrong.Got).ShouldBe((0.0, false, "25"));

        var silent = NumericAnswerScorer.Instance.Score(Task, Transcript(Message.Assistant(null, [Core.Tools.ToolCall.FromJson("calculator", "{}")])));
        silent.Got.ShouldBeNull();
        silent.Details.ShouldContain("no final answer");

        var words = NumericAnswerScorer.Instance.Score(Task, Transcript(Message.Assistant("twenty-four")));
        words.Details.ShouldBe("no number in the final answer");
    }

    [Fact]
    public void Scorer_reads_the_last_assistant_text_not_the_reasoning()
    {
        var transcript = Transcript(
            Message.Assistant("Answer: 24"),
            new Message { Role = ChatRole.Assistant, Content = "Answer: 23", ReasoningContent = "maybe 24" });
        NumericAnswerScorer.Instance.Score(Task, transcript).Correct.ShouldBeFalse();
    }
}
