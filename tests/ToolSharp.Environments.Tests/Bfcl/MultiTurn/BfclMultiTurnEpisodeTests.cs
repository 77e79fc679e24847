using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Bfcl.MultiTurn;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Bfcl.MultiTurn;

/// <summary>The episode object the eval and RL drivers build on: tools and messages per turn, BFCL's feedback strings,
/// the step limit, the recorded calls and their verdict.</summary>
public class BfclMultiTurnEpisodeTests
{
    private static BfclFunctionDocs Docs => BfclFunctionDocs.Load(SharedData.Path(BfclMultiTurnData.Folder, "multi_turn_func_doc"));

    private static BfclMultiTurnEpisode Episode(string id) => new(BfclMultiTurnData.Entry(id), Docs);

    private static string Name(JsonElement doc) => doc.GetProperty("name").GetString()!;

    [RequiresDataFact(BfclMultiTurnData.Folder, BfclPython.Reference)]
    public void Playing_the_ground_truth_through_the_episode_scores_every_entry_valid()
    {
        var failures = new List<string>();
        foreach (var entry in BfclMultiTurnData.All())
        {
            var episode = new BfclMultiTurnEpisode(entry, Docs);
            for (var turn = 0; turn < entry.GroundTruth.Count; turn++)
            {
                episode.UserMessages(turn).ShouldNotBeEmpty();
                episode.ExecuteStep(entry.GroundTruth[turn]).Count.ShouldBe(entry.GroundTruth[turn].Count);
                episode.EndTurn();
            }
            episode.Finished.ShouldBeTrue();
            var verdict = episode.Score();
            if (!verdict.Valid) failures.Add($"{entry.Id}: {verdict.ErrorType}");
        }
        failures.ShouldBeEmpty();
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public void A_held_out_function_returns_at_its_turn_with_bfcls_message()
    {
        var entry = BfclMultiTurnData.All().First(e => e.MissedFunctions.Count > 0);
        var (turn, names) = entry.MissedFunctions.Single();
        var episode = new BfclMultiTurnEpisode(entry, Docs);
        var all = entry.InvolvedClasses.SelectMany(Docs.For).Select(Name).ToList();
        episode.InitialTools.Select(Name).ShouldBe(all.Where(n => !names.Contains(n)));
        episode.Tools(turn - 1).Select(Name).ShouldBe(episode.InitialTools.Select(Name));
        episode.Tools(turn).Select(Name).ShouldBe(episode.InitialTools.Select(Name).Concat(names));
        episode.HeldOutTools(turn).Select(Name).ShouldBe(names);
        entry.Turns[turn].ShouldBeEmpty();
        episode.UserMessages(turn).Single().Content.ShouldBe("I have updated some more functions you can choose from. What about now?");
        var prompt = episode.UserMessages(turn, promptMode: true).Single().Content!;
        prompt.ShouldStartWith($"[{{'name': '{names[0]}', 'description': ");
        prompt.ShouldEndWith("]\nI have updated some more functions you can choose from. What about now?");
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public void Tool_calls_are_executed_as_bfcls_decoders_write_them()
    {
        var episode = Episode("multi_turn_base_0");
        var cd = new ToolCall("cd", JsonValues.Parse("""{"folder": "document"}"""));
        episode.ExecuteStep([cd])!.ShouldBe(["{\"current_working_directory\": \"document\"}"]);
        var mkdir = new ToolCall("mkdir", JsonValues.Parse("""{"dir_name": "temp"}"""));
        episode.ExecuteStep([mkdir, new ToolCall("ls", JsonValues.Parse("{}"))], promptMode: true)!
            .ShouldBe(["None", "{\"current_directory_content\": [\"final_report.pdf\", \"previous_report.pdf\", \"temp\"]}"]);
        episode.DecodedCalls.ShouldBe([[["cd(folder='document')"], ["mkdir(dir_name='temp')", "ls()"]]]);
        // BFCL's prompt-mode decoder fails on an empty dict argument: the step is not run.
        episode.ExecuteStep([new ToolCall("edit_ticket", JsonValues.Parse("""{"ticket_id": 1, "updates": {}}"""))], promptMode: true).ShouldBeNull();
        BfclCallText.FunctionCalling("edit_ticket", JsonValues.Parse("""{"ticket_id": 1, "updates": {"a": [true, null, 1.0]}}"""))
            .ShouldBe("edit_ticket(ticket_id=1,updates={'a': [True, None, 1.0]})");
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public void The_step_after_the_limit_force_terminates_the_entry()
    {
        var entry = BfclMultiTurnData.Entry("multi_turn_base_0");
        var episode = new BfclMultiTurnEpisode(entry, Docs);
        for (var step = 0; step < BfclMultiTurnEpisode.MaxStepsPerTurn; step++) episode.ExecuteStep(["pwd()"]);
        episode.ForceTerminated.ShouldBeFalse();
        episode.ExecuteStep(["pwd()"]);
        episode.ForceTerminated.ShouldBeTrue();
        episode.Finished.ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => episode.ExecuteStep(["pwd()"]));
        episode.DecodedCalls.Count.ShouldBe(1);
        episode.Score().ErrorType.ShouldBe("multi_turn:force_terminated");
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public void Each_episode_has_its_own_state()
    {
        var first = Episode("multi_turn_base_0");
        var initial = first.State();
        first.ExecuteStep(["cd(folder='document')", "mkdir(dir_name='x')"]);
        first.State()["GorillaFileSystem"].ShouldNotBe(initial["GorillaFileSystem"]);
        Episode("multi_turn_base_0").State().ShouldBe(initial);
    }
}
