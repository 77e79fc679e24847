using ToolSharp.Environments.Bfcl.Leaderboard;
using System.Text.Json;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Environments.Bfcl.MultiTurn;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Bfcl.MultiTurn;

/// <summary>The multi-turn splits of the <c>bfcl</c> environment, driven by the one episode driver that eval and RL use.</summary>
public class BfclMultiTurnEnvironmentTests
{
    private static readonly BfclEnvironment Env = new();

    /// <summary>A turn of calls as a model would send them (the ground truth's call strings read as structured calls).</summary>
    private static ModelTurn Calls(IReadOnlyList<string> calls, IReadOnlyList<ToolSpec> tools) =>
        ModelTurn.Of(Message.Assistant(null, calls.Select(c => BfclCallParser.Parse(c, tools)).ToList()));

    private static ModelTurn Answer(string text = "Done.") => ModelTurn.Of(Message.Assistant(text));

    /// <summary>Plays each turn's ground truth as one step and a closing answer.</summary>
    private static async Task<EpisodeDriver> PlayGroundTruth(EnvironmentTask task, IEnvironment? env = null)
    {
        var entry = Env.MultiTurnEntries(task.Split)[task.Index];
        var driver = EpisodeDriver.Start(env ?? Env, task);
        for (var turn = 0; turn < entry.GroundTruth.Count; turn++)
        {
            driver.UserTurn.ShouldBe(turn);
            if (entry.GroundTruth[turn].Count > 0)
            {
                driver.Transcript.Tools.Count.ShouldBe(driver.Episode.ToolsAt(turn).Count, $"{task.Id} turn {turn}");
                var outcome = await driver.SubmitAsync(Calls(entry.GroundTruth[turn], driver.Episode.ToolSpecs));
                outcome.Next.ShouldBe(TurnNext.ToolResults, task.Id);
            }
            await driver.SubmitAsync(Answer());
        }
        return driver;
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public void The_four_categories_are_splits_with_bfcl_ids_user_turns_and_limits()
    {
        foreach (var split in BfclMultiTurnDataset.Categories)
        {
            Env.TaskCount(split).ShouldBe(200, split);
            var task = Env.GetTask(split, 7);
            task.Id.ShouldBe($"{split}_7");
            Env.FindTask(task.Id).ShouldBe(task);
            var entry = Env.MultiTurnEntries(split)[7];
            task.UserTurns.Count.ShouldBe(entry.Turns.Count);
            Env.Limits(task).MaxTurns.ShouldBe(entry.Turns.Count * 22);
            Env.ReferenceCalls(task).ShouldBeNull();
        }
        Env.GetTask("multi_turn_base", 0).ExpectedAnswer.ShouldStartWith("turn 0: cd(folder='document'); mkdir(dir_name='temp'); mv(source='final_report.pdf', destination='temp')");
    }

    [RequiresDataFact(BfclMultiTurnData.Folder, BfclPython.Reference)]
    public async Task The_ground_truth_played_through_the_episode_driver_is_correct_for_all_800_entries()
    {
        var failures = new List<string>();
        var played = 0;
        foreach (var split in BfclMultiTurnDataset.Categories)
            for (var i = 0; i < Env.TaskCount(split); i++)
            {
                var driver = await PlayGroundTruth(Env.GetTask(split, i));
                driver.Ending.ShouldBe(EpisodeEnding.Answered);
                var score = driver.Score();
                if (!score.Correct || score.Reward != 1) failures.Add($"{driver.Episode.Task.Id}: {score.Details}");
                played++;
            }
        played.ShouldBe(800);
        failures.ShouldBeEmpty();
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public async Task Calls_run_on_the_entrys_backends_and_results_come_back_as_bfcl_writes_them()
    {
        var driver = EpisodeDriver.Start(Env, Env.GetTask("multi_turn_base", 0));
        var outcome = await driver.SubmitAsync(Calls(["cd(folder='document')", "cd(folder='nowhere')"], driver.Transcript.Tools));
        outcome.Results.Select(r => r.Content).ShouldBe(["{\"current_working_directory\": \"document\"}", "{\"error\": \"cd: 'nowhere': No such file or directory\"}"]);
        driver.Episode.ToolCalls.Count.ShouldBe(2);
        var state = driver.Episode.StateSnapshot()!.Value;
        state.GetProperty("result").GetRawText().ShouldBe("""[[["cd(folder='document')","cd(folder='nowhere')"]]]""");
        state.GetProperty("state").TryGetProperty("GorillaFileSystem", out _).ShouldBeTrue();
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public async Task A_wrong_state_fails_with_bfcls_error_type_and_per_turn_reward_counts_the_turns_passed()
    {
        var task = Env.GetTask("multi_turn_base", 0);
        var entry = Env.MultiTurnEntries(task.Split)[0];
        entry.GroundTruth.Count.ShouldBeGreaterThan(1);
        foreach (var env in new[] { Env, (BfclEnvironment)EnvironmentCatalog.Create("bfcl:reward=per_turn") })
        {
            var driver = EpisodeDriver.Start(env, task);
            await driver.SubmitAsync(Calls(entry.GroundTruth[0], driver.Transcript.Tools));
            await driver.SubmitAsync(Answer());
            await driver.SubmitAsync(Calls(["mkdir(dir_name='not_in_the_ground_truth')"], driver.Transcript.Tools));
            while (!driver.IsFinished) await driver.SubmitAsync(Answer());
            var score = driver.Score();
            score.Correct.ShouldBeFalse();
            score.Details.ShouldStartWith("multi_turn:instance_state_mismatch (turn 1)");
            score.Reward.ShouldBe(env.Name == "bfcl" ? 0.0 : 1.0 / entry.GroundTruth.Count, env.Name);
            JsonSerializer.Deserialize<string[][][]>(score.Got!)![1].ShouldBe([["mkdir(dir_name='not_in_the_ground_truth')"]]);
        }
        EnvironmentCatalog.Create("bfcl:reward=per_turn").Name.ShouldBe("bfcl:reward=per_turn");
        Should.Throw<ToolSharp.Core.Errors.ToolSharpException>(() => EnvironmentCatalog.Create("bfcl:reward=partial")).Message.ShouldContain("expected entry or per_turn");
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public async Task A_held_out_function_is_offered_from_its_turn_with_bfcls_message()
    {
        var index = Enumerable.Range(0, 200).First(i => Env.MultiTurnEntries("multi_turn_miss_func")[i].MissedFunctions.Count > 0);
        var task = Env.GetTask("multi_turn_miss_func", index);
        var entry = Env.MultiTurnEntries(task.Split)[index];
        var (holdout, names) = entry.MissedFunctions.Single();
        var driver = EpisodeDriver.Start(Env, task);
        driver.Transcript.Tools.Select(t => t.Name).ShouldNotContain(names[0]);
        while (driver.UserTurn < holdout) await driver.SubmitAsync(Answer());
        driver.Transcript.Messages[^1].Content.ShouldBe(BfclMultiTurnEpisode.HoldoutMessage);
        driver.Transcript.Tools.Select(t => t.Name).ShouldContain(names[0]);
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public async Task More_than_twenty_steps_in_a_turn_force_terminate_the_entry()
    {
        var task = Env.GetTask("multi_turn_base", 0);
        var driver = EpisodeDriver.Start(Env, task);
        var steps = 0;
        while (!driver.IsFinished)
        {
            await driver.SubmitAsync(Calls(["pwd()"], driver.Transcript.Tools));
            steps++;
        }
        steps.ShouldBe(BfclMultiTurnEpisode.MaxStepsPerTurn + 1);
        driver.Ending.ShouldBe(EpisodeEnding.StepLimit);
        driver.Score().Details.ShouldStartWith("multi_turn:force_terminated");
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public async Task A_forked_episode_continues_from_the_same_backend_state()
    {
        var task = Env.GetTask("multi_turn_base", 0);
        var entry = Env.MultiTurnEntries(task.Split)[0];
        var driver = EpisodeDriver.Start(Env, task);
        await driver.SubmitAsync(Calls(entry.GroundTruth[0], driver.Transcript.Tools));
        var fork = await driver.ForkAsync();
        fork.Episode.StateSnapshot()!.Value.GetRawText().ShouldBe(driver.Episode.StateSnapshot()!.Value.GetRawText());
        var a = await driver.SubmitAsync(Calls(["ls()"], driver.Transcript.Tools));
        var b = await fork.SubmitAsync(Calls(["ls()"], fork.Transcript.Tools));
        b.Results.Select(r => r.Content).ShouldBe(a.Results.Select(r => r.Content));
    }
}
