using ToolSharp.Environments.Bfcl.Backends;
using ToolSharp.Environments.Bfcl.MultiTurn;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Bfcl.MultiTurn;

/// <summary>BFCL's executor rules on a real entry (multi_turn_base_0: file system and Twitter): refusals, Python's
/// binding errors, result rendering, the instance-name prefixing inside string arguments, and fresh state per run.</summary>
public class BfclInstancesTests
{
    private static BfclInstances Fresh(string model = "m") =>
        new(BfclMultiTurnData.Entry("multi_turn_base_0"), model, new BfclRuntime(BfclMultiTurnOptions.Default));

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public void Unknown_and_refused_functions_fail_as_in_bfcl()
    {
        var fs = Fresh();
        fs.Execute("teleport(to='mars')").ShouldBe("Error during execution: name 'teleport' is not defined");
        fs.Execute("exit()").ShouldBe("Error during execution: Function call exit is not allowed.");
        fs.Execute("os.remove(path='x')").ShouldBe("Error during execution: Function call remove is not allowed.");
        fs.Execute("cd(folder='document'").ShouldBe("Error during execution: invalid syntax (<string>, line 1)");
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public void Arguments_bind_with_pythons_messages()
    {
        var fs = Fresh();
        fs.Execute("cd()").ShouldBe("Error during execution: GorillaFileSystem.cd() missing 1 required positional argument: 'folder'");
        fs.Execute("mv()").ShouldBe("Error during execution: GorillaFileSystem.mv() missing 2 required positional arguments: 'source' and 'destination'");
        fs.Execute("cd('a', 'b')").ShouldBe("Error during execution: GorillaFileSystem.cd() takes 2 positional arguments but 3 were given");
        fs.Execute("ls(True, 1)").ShouldBe("Error during execution: GorillaFileSystem.ls() takes from 1 to 2 positional arguments but 3 were given");
        fs.Execute("pwd(1)").ShouldBe("Error during execution: GorillaFileSystem.pwd() takes 1 positional argument but 2 were given");
        fs.Execute("cd(path='x')").ShouldBe("Error during execution: GorillaFileSystem.cd() got an unexpected keyword argument 'path'");
        fs.Execute("cd('x', folder='y')").ShouldBe("Error during execution: GorillaFileSystem.cd() got multiple values for argument 'folder'");
        fs.Execute("cd(folder='a', folder='b')").ShouldBe("Error during execution: keyword argument repeated: folder (<string>, line 1)");
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public void Results_render_as_json_or_python_repr()
    {
        var fs = Fresh();
        fs.Execute("cd('document')").ShouldBe("{\"current_working_directory\": \"document\"}");
        fs.Execute("mkdir(dir_name='temp')").ShouldBe("None");
        fs.Execute("cd(folder='..')").ShouldBe("{}");
        fs.Execute("authenticate_twitter(username='john', password='john123')").ShouldBe("{\"authentication_status\": false}");
        fs.Execute("get_user_tweets(username='nobody')").ShouldBe("[]");
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public void A_method_name_inside_a_string_argument_is_prefixed_too_as_bfcl_does()
    {
        Fresh("bfcl_model").Execute("echo(content='run ls() now')")
            .ShouldBe("{\"terminal_output\": \"run bfcl_model_multi_turn_base_0_GorillaFileSystem_instance.ls() now\"}");
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public void Every_run_starts_from_the_initial_state()
    {
        var initial = BfclStateJson.Dump(Fresh().Classes["GorillaFileSystem"]);
        var first = Fresh();
        first.Execute("mkdir(dir_name='new_folder')").ShouldBe("None");
        BfclStateJson.Dump(first.Classes["GorillaFileSystem"]).ShouldNotBe(initial);
        var again = Fresh();
        BfclStateJson.Dump(again.Classes["GorillaFileSystem"]).ShouldBe(initial);
        again.Execute("mkdir(dir_name='new_folder')").ShouldBe("None");
    }

    [RequiresDataFact(BfclMultiTurnData.Folder)]
    public void Post_tweets_default_mentions_list_is_shared_within_a_run_as_in_bfcl_but_not_across_runs()
    {
        var runtime = new BfclRuntime(BfclMultiTurnOptions.Default);
        var entry = BfclMultiTurnData.Entry("multi_turn_base_0");
        var model = new BfclInstances(entry, "m", runtime);
        model.Execute("authenticate_twitter(username='analyst_pro', password='Kj8#mP9$vL2')").ShouldBe("{\"authentication_status\": true}");
        model.Execute("post_tweet(content='a')").ShouldBe("{\"id\": 3, \"username\": \"analyst_pro\", \"content\": \"a\", \"tags\": [], \"mentions\": []}");
        model.Execute("mention(tweet_id=3, mentioned_usernames=['@x'])");
        // The next tweet without mentions gets the same default list, which now holds '@x' (BFCL's mutable default).
        model.Execute("post_tweet(content='b')").ShouldEndWith("\"mentions\": [\"@x\"]}");
        var truth = new BfclInstances(entry, "m_ground_truth", runtime);
        truth.Execute("authenticate_twitter(username='analyst_pro', password='Kj8#mP9$vL2')");
        truth.Execute("post_tweet(content='c')").ShouldEndWith("\"mentions\": [\"@x\"]}");
        var nextRun = new BfclInstances(entry, "m", new BfclRuntime(BfclMultiTurnOptions.Default));
        nextRun.Execute("authenticate_twitter(username='analyst_pro', password='Kj8#mP9$vL2')");
        nextRun.Execute("post_tweet(content='a')").ShouldEndWith("\"mentions\": []}");
    }
}
