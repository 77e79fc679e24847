using System.Numerics;
using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>BFCL's <c>MessageAPI</c>: users, login, sending/deleting/searching messages in one shared inbox.</summary>
/// <remarks>Message ids come from <c>random.Random(200191)</c> (or the scenario's <c>random_seed</c>); a send returns
/// <c>"message_id": {"new_id": n}</c>, the dict BFCL's id generator returns. <c>delete_message</c> removes the first
/// inbox entry equal to the latest one for the receiver (Python's <c>list.remove</c>), which may be an earlier copy.</remarks>
internal sealed class MessageApi : BfclApi
{
    private PyRandom _random = new(200191);
    private object? _generatedIds = new PySet();
    private object? _userCount;
    private object? _userMap;
    private object? _inbox;
    private object? _messageCount;
    private object? _currentUser;

    private static readonly BfclMethodTable<MessageApi> Table = new("MessageAPI", table =>
    {
        table.Add("list_users", [], (s, _) => Py.Dict(("user_list", new PyList(AsDict(s._userMap, "keys").Keys.ToList()))));
        table.Add("get_user_id", [P("user")], (s, a) => s.GetUserId(a[0]));
        table.Add("message_login", [P("user_id")], (s, a) => s.Login(a[0]));
        table.Add("message_get_login_status", [], (s, _) => Py.Dict(("login_status", Py.Truthy(s._currentUser))));
        table.Add("send_message", [P("receiver_id"), P("message")], (s, a) => s.Send(a[0], a[1]));
        table.Add("delete_message", [P("receiver_id")], (s, a) => s.Delete(a[0]));
        table.Add("view_messages_sent", [], (s, _) => s.ViewSent());
        table.Add("add_contact", [P("user_name")], (s, a) => s.AddContact(a[0]));
        table.Add("search_messages", [P("keyword")], (s, a) => s.Search(a[0]));
        table.Add("get_message_stats", [], (s, _) => s.Stats());
    });

    public MessageApi(BfclRuntime runtime) : base(runtime)
    {
    }

    public override IReadOnlyDictionary<string, BfclMethod> Methods => Table.Methods;

    public override string ClassName => "MessageAPI";

    public override IEnumerable<(string Name, object? Value)> State() =>
    [
        ("generated_ids", _generatedIds), ("user_count", _userCount), ("user_map", _userMap), ("inbox", _inbox),
        ("message_count", _messageCount), ("current_user", _currentUser),
    ];

    public override void LoadScenario(PyDict scenario, bool longContext)
    {
        _random = new PyRandom(SeedOf(Get(scenario, "random_seed", 200191)));
        _generatedIds = Get(scenario, "generated_ids", new PySet());
        _userCount = Get(scenario, "user_count", 4);
        _userMap = Get(scenario, "user_map", Py.Dict(("Alice", "USR001"), ("Bob", "USR002"), ("Catherine", "USR003"), ("Daniel", "USR004")));
        _inbox = Get(scenario, "inbox", Py.List(
            Py.Dict(("USR002", "My name is Alice. I want to connect.")),
            Py.Dict(("USR003", "Could you upload the file?")),
            Py.Dict(("USR004", "Could you upload the file?"))));
        _messageCount = Get(scenario, "message_count", 3);
        _currentUser = Get(scenario, "current_user", null);
    }

    /// <summary>The int seed of <c>random.Random(seed)</c> (bools are ints).</summary>
    internal static BigInteger SeedOf(object? seed) =>
        Py.IsIntegral(seed) ? Py.ToInteger(seed) : throw PyException.TypeError($"ToolSharp supports int seeds only, not {Py.TypeName(seed)}");

    private static PyDict Error(string message) => Py.Dict(("error", message));

    private PyDict GenerateId()
    {
        var newId = _random.RandInt(10000, 99999);
        while (Py.Contains(_generatedIds, newId)) newId = _random.RandInt(10000, 99999);
        if (_generatedIds is not PySet set) throw PyException.AttributeError(_generatedIds, "add");
        set.Add(newId);
        return Py.Dict(("new_id", newId));
    }

    private PyDict GetUserId(object? user)
    {
        if (!Py.Contains(_userMap, user)) return Error($"User '{Py.Str(user)}' not found in the workspace.");
        return Py.Dict(("user_id", DictGet(_userMap, user)));
    }

    private PyDict Login(object? userId)
    {
        var ids = new PyList(AsDict(_userMap, "values").Values.ToList());
        if (!Py.Contains(ids, userId)) return Py.Dict(("login_status", false), ("message", $"User ID '{Py.Str(userId)}' not found."));
        _currentUser = userId;
        return Py.Dict(("login_status", true), ("message", $"User '{Py.Str(userId)}' logged in successfully."));
    }

    private PyDict Send(object? receiverId, object? message)
    {
        if (!Py.Truthy(_currentUser)) return Error("No user is currently logged in.");
        if (!Py.Contains(new PyList(AsDict(_userMap, "values").Values.ToList()), receiverId))
            return Error($"Receiver ID '{Py.Str(receiverId)}' not found.");
        var messageId = GenerateId();
        AsList(_inbox, "append").Items.Add(Py.Dict((receiverId, message)));
        _messageCount = PyOps.Add(_messageCount, Py.Int(1));
        return Py.Dict(("sent_status", true), ("message_id", messageId), ("message", $"Message sent to '{Py.Str(receiverId)}' successfully."));
    }

    private static (object? Key, object? Value) First(object? message)
    {
        var items = AsDict(message, "items").Items().ToList();
        if (items.Count == 0) throw PyException.IndexError("list index out of range");
        return items[0];
    }

    private PyDict Delete(object? receiverId)
    {
        if (!Py.Truthy(_currentUser)) return Error("No user is currently logged in.");
        var inbox = AsList(_inbox, "remove");
        foreach (var message in Enumerable.Reverse(inbox.Items.ToList()))
        {
            var (receiver, _) = First(message);
            if (Py.Equal(receiver, receiverId))
            {
                inbox.Remove(message);
                return Py.Dict(("deleted_status", true), ("receiver_id", receiver),
                    ("message", $"Receiver {Py.Str(receiverId)}'s latest message deleted successfully."));
            }
        }
        return Error($"Receiver ID {Py.Str(receiverId)} not found.");
    }

    private PyDict ViewSent()
    {
        if (!Py.Truthy(_currentUser)) return Error("No user is currently logged in.");
        var sent = new PyDict();
        foreach (var message in Py.Iter(_inbox))
        {
            var (receiver, content) = First(message);
            if (!sent.ContainsKey(receiver)) sent[receiver] = Py.List(content);
            else ((PyList)sent[receiver]!).Items.Add(content);
        }
        return Py.Dict(("messages", sent));
    }

    private PyDict AddContact(object? userName)
    {
        if (Py.Contains(_userMap, userName)) return Error($"User name '{Py.Str(userName)}' already exists.");
        _userCount = PyOps.Add(_userCount, Py.Int(1));
        var userId = "USR" + PyStr.ZFill(Py.Str(_userCount), 3);
        if (Py.Contains(new PyList(AsDict(_userMap, "values").Values.ToList()), userId)) return Error($"User ID '{userId}' already exists.");
        SetItem(_userMap, userName, userId);
        return Py.Dict(("added_status", true), ("user_id", userId), ("message", $"Contact '{Py.Str(userName)}' added successfully."));
    }

    private PyDict Search(object? keyword)
    {
        if (!Py.Truthy(_currentUser)) return Error("No user is currently logged in.");
        var lower = PyStr.Lower(keyword);
        var results = new List<object?>();
        foreach (var message in Py.Iter(_inbox))
        {
            var (receiver, content) = First(message);
            if (PyStr.Lower(content).Contains(lower, StringComparison.Ordinal))
                results.Add(Py.Dict(("receiver_id", receiver), ("message", content)));
        }
        return Py.Dict(("results", new PyList(results)));
    }

    private PyDict Stats()
    {
        if (!Py.Truthy(_currentUser)) return Error("No user is currently logged in.");
        var received = 0;
        var contacts = new PySet();
        foreach (var message in Py.Iter(_inbox))
        {
            var (receiver, _) = First(message);
            received++;
            contacts.Add(receiver);
        }
        return Py.Dict(("stats", Py.Dict(("received_count", received), ("total_contacts", contacts.Count))));
    }
}
