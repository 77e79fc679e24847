using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>BFCL's <c>TwitterAPI</c> (posting_api): authentication, tweets, retweets, comments, mentions, following.</summary>
/// <remarks>
/// Tweet ids are int keys (the scenario's string keys are converted on load); comment keys are not converted, so a
/// comment on a loaded tweet goes under a new int key. <c>post_tweet</c>'s defaults for <c>tags</c> and
/// <c>mentions</c> are one shared list each (<see cref="BfclRuntime"/>), so <c>mention</c> on a tweet posted without
/// mentions changes every such tweet, as in BFCL. Tweet lists (<c>get_user_tweets</c>, <c>search_tweets</c>,
/// <c>get_tweet_comments</c>) are returned as lists, which BFCL's executor renders with Python's repr.
/// </remarks>
internal sealed class TwitterApi : BfclApi
{
    private object? _username;
    private object? _password;
    private object? _authenticated;
    private object? _tweets;
    private object? _comments;
    private object? _retweets;
    private object? _followingList;
    private object? _tweetCounter;

    private static readonly BfclMethodTable<TwitterApi> Table = new("TwitterAPI", table =>
    {
        table.Add("authenticate_twitter", [P("username"), P("password")], (s, a) => s.Authenticate(a[0], a[1]));
        table.Add("posting_get_login_status", [], (s, _) => Py.Dict(("login_status", Py.Truthy(s._authenticated))));
        table.Add("post_tweet", [P("content"), Shared<TwitterApi>("tags", s => s.Runtime.TweetTagsDefault), Shared<TwitterApi>("mentions", s => s.Runtime.TweetMentionsDefault)], (s, a) => s.Post(a[0], a[1], a[2]));
        table.Add("retweet", [P("tweet_id")], (s, a) => s.Retweet(a[0]));
        table.Add("comment", [P("tweet_id"), P("comment_content")], (s, a) => s.Comment(a[0], a[1]));
        table.Add("mention", [P("tweet_id"), P("mentioned_usernames")], (s, a) => s.Mention(a[0], a[1]));
        table.Add("follow_user", [P("username_to_follow")], (s, a) => s.Follow(a[0]));
        table.Add("list_all_following", [], (s, _) => s.ListFollowing());
        table.Add("unfollow_user", [P("username_to_unfollow")], (s, a) => s.Unfollow(a[0]));
        table.Add("get_tweet", [P("tweet_id")], (s, a) => s.GetTweet(a[0]));
        table.Add("get_user_tweets", [P("username")], (s, a) => new PyList(s.Tweets().Where(t => Py.Equal(Item(t, "username"), a[0])).ToList()));
        table.Add("search_tweets", [P("keyword")], (s, a) => s.SearchTweets(a[0]));
        table.Add("get_tweet_comments", [P("tweet_id")], (s, a) => s.GetComments(a[0]));
        table.Add("get_user_stats", [P("username")], (s, a) => s.Stats(a[0]));
    });

    public TwitterApi(BfclRuntime runtime) : base(runtime)
    {
    }

    public override IReadOnlyDictionary<string, BfclMethod> Methods => Table.Methods;

    public override string ClassName => "TwitterAPI";

    public override IEnumerable<(string Name, object? Value)> State() =>
    [
        ("username", _username), ("password", _password), ("authenticated", _authenticated), ("tweets", _tweets),
        ("comments", _comments), ("retweets", _retweets), ("following_list", _followingList), ("tweet_counter", _tweetCounter),
    ];

    public override void LoadScenario(PyDict scenario, bool longContext)
    {
        _username = Get(scenario, "username", "john");
        _password = Get(scenario, "password", "john123");
        _authenticated = Get(scenario, "authenticated", false);
        var tweets = new PyDict();
        foreach (var (key, value) in AsDict(Get(scenario, "tweets", new PyDict()), "items").Items()) tweets.Set(PyOps.Int(key), value);
        _tweets = tweets;
        _comments = Get(scenario, "comments", new PyDict());
        _retweets = Get(scenario, "retweets", new PyDict());
        _followingList = Get(scenario, "following_list", Py.List("alice", "bob"));
        _tweetCounter = Get(scenario, "tweet_counter", 0);
    }

    private static PyDict Error(string message) => Py.Dict(("error", message));

    private IEnumerable<object?> Tweets() => AsDict(_tweets, "values").Values.ToList();

    private PyDict Authenticate(object? username, object? password)
    {
        if (Py.Equal(username, _username) && Py.Equal(password, _password))
        {
            _authenticated = true;
            return Py.Dict(("authentication_status", true));
        }
        return Py.Dict(("authentication_status", false));
    }

    private PyDict Post(object? content, object? tags, object? mentions)
    {
        if (!Py.Truthy(_authenticated)) return Error("User not authenticated. Please authenticate before posting.");
        var tweet = Py.Dict(("id", _tweetCounter), ("username", _username), ("content", content), ("tags", tags), ("mentions", mentions));
        SetItem(_tweets, _tweetCounter, tweet);
        _tweetCounter = PyOps.Add(_tweetCounter, Py.Int(1));
        return tweet;
    }

    private PyDict Retweet(object? tweetId)
    {
        if (!Py.Truthy(_authenticated)) return Error("User not authenticated. Please authenticate before retweeting.");
        if (!Py.Contains(_tweets, tweetId)) return Error($"Tweet with ID {Py.Str(tweetId)} not found.");
        if (!Py.Contains(_retweets, _username)) SetItem(_retweets, _username, new PyList());
        var list = Item(_retweets, _username);
        if (Py.Contains(list, tweetId)) return Py.Dict(("retweet_status", "Already retweeted"));
        AsList(list, "append").Items.Add(tweetId);
        return Py.Dict(("retweet_status", "Successfully retweeted"));
    }

    private PyDict Comment(object? tweetId, object? content)
    {
        if (!Py.Truthy(_authenticated)) return Error("User not authenticated. Please authenticate before commenting.");
        if (!Py.Contains(_tweets, tweetId)) return Error($"Tweet with ID {Py.Str(tweetId)} not found.");
        if (!Py.Contains(_comments, tweetId)) SetItem(_comments, tweetId, new PyList());
        AsList(Item(_comments, tweetId), "append").Items.Add(Py.Dict(("username", _username), ("content", content)));
        return Py.Dict(("comment_status", "Comment added successfully"));
    }

    private PyDict Mention(object? tweetId, object? usernames)
    {
        if (!Py.Contains(_tweets, tweetId)) return Error($"Tweet with ID {Py.Str(tweetId)} not found.");
        var tweet = Item(_tweets, tweetId);
        Extend(Item(tweet, "mentions"), usernames);
        return Py.Dict(("mention_status", "Users mentioned successfully"));
    }

    private PyDict Follow(object? username)
    {
        if (!Py.Truthy(_authenticated)) return Error("User not authenticated. Please authenticate before following.");
        if (Py.Contains(_followingList, username)) return Py.Dict(("follow_status", false));
        AsList(_followingList, "append").Items.Add(username);
        return Py.Dict(("follow_status", true));
    }

    private PyDict ListFollowing()
    {
        if (!Py.Truthy(_authenticated)) return Error("User not authenticated. Please authenticate before listing following.");
        return Py.Dict(("following_list", _followingList));
    }

    private PyDict Unfollow(object? username)
    {
        if (!Py.Truthy(_authenticated)) return Error("User not authenticated. Please authenticate before unfollowing.");
        if (!Py.Contains(_followingList, username)) return Py.Dict(("unfollow_status", false));
        AsList(_followingList, "remove").Remove(username);
        return Py.Dict(("unfollow_status", true));
    }

    private object? GetTweet(object? tweetId)
    {
        if (!Py.Contains(_tweets, tweetId)) return Error($"Tweet with ID {Py.Str(tweetId)} not found.");
        return Item(_tweets, tweetId);
    }

    private PyList SearchTweets(object? keyword)
    {
        var matches = new List<object?>();
        foreach (var tweet in Tweets())
        {
            var lower = PyStr.Lower(keyword);
            if (Py.Contains(PyStr.Lower(Item(tweet, "content")), lower)) { matches.Add(tweet); continue; }
            var tags = new PyList(Py.Iter(Item(tweet, "tags")).Select(t => (object?)PyStr.Lower(t)).ToList());
            if (Py.Contains(tags, PyStr.Lower(keyword))) matches.Add(tweet);
        }
        return new PyList(matches);
    }

    private object? GetComments(object? tweetId)
    {
        if (!Py.Contains(_tweets, tweetId)) return Error($"Tweet with ID {Py.Str(tweetId)} not found.");
        return DictGet(_comments, tweetId, new PyList());
    }

    private PyDict Stats(object? username)
    {
        var tweetCount = Tweets().Count(t => Py.Equal(Item(t, "username"), username));
        var followingCount = Py.Equal(username, _username) ? Py.LenStrict(_followingList) : 0;
        var retweetCount = Py.LenStrict(DictGet(_retweets, username, new PyList()));
        return Py.Dict(("tweet_count", tweetCount), ("following_count", followingCount), ("retweet_count", retweetCount));
    }
}
