using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>BFCL's <c>TicketAPI</c>: login (any non-empty username and password), create, get, close, resolve and
/// edit tickets, list a user's tickets.</summary>
/// <remarks><c>edit_ticket</c> names invalid fields in the order of <paramref name="updates"/>' keys; BFCL joins a set,
/// whose order for strings changes between Python processes.</remarks>
internal sealed class TicketApi : BfclApi
{
    private object? _ticketQueue;
    private object? _ticketCounter;
    private object? _currentUser;

    private static readonly BfclMethodTable<TicketApi> Table = new("TicketAPI", table =>
    {
        table.Add("create_ticket", [P("title"), P("description", ""), P("priority", 1)], (s, a) => s.Create(a[0], a[1], a[2]));
        table.Add("get_ticket", [P("ticket_id")], (s, a) => s.Find(a[0]) is { } t && Py.Truthy(t) ? t : Error($"Ticket with ID {Py.Str(a[0])} not found."));
        table.Add("close_ticket", [P("ticket_id")], (s, a) => s.SetStatus(a[0], "Closed", "closed", null));
        table.Add("resolve_ticket", [P("ticket_id"), P("resolution")], (s, a) => s.SetStatus(a[0], "Resolved", "resolved", a[1]));
        table.Add("edit_ticket", [P("ticket_id"), P("updates")], (s, a) => s.Edit(a[0], a[1]));
        table.Add("ticket_login", [P("username"), P("password")], (s, a) => s.Login(a[0], a[1]));
        table.Add("ticket_get_login_status", [], (s, _) => Py.Dict(("login_status", Py.Truthy(s._currentUser))));
        table.Add("logout", [], (s, _) => s.Logout());
        table.Add("get_user_tickets", [P("status", null)], (s, a) => s.UserTickets(a[0]));
    });

    public TicketApi(BfclRuntime runtime) : base(runtime)
    {
    }

    public override IReadOnlyDictionary<string, BfclMethod> Methods => Table.Methods;

    public override string ClassName => "TicketAPI";

    public override IEnumerable<(string Name, object? Value)> State() =>
        [("ticket_queue", _ticketQueue), ("ticket_counter", _ticketCounter), ("current_user", _currentUser)];

    public override void LoadScenario(PyDict scenario, bool longContext)
    {
        _ticketQueue = Get(scenario, "ticket_queue", new PyList());
        _ticketCounter = Get(scenario, "ticket_counter", 1);
        _currentUser = Get(scenario, "current_user", null);
    }

    private static PyDict Error(string message) => Py.Dict(("error", message));

    private object? Create(object? title, object? description, object? priority)
    {
        if (!Py.Truthy(_currentUser)) return Error("User not authenticated. Please log in to create a ticket.");
        if (Py.Lt(priority, Py.Int(1)) || Py.Gt(priority, Py.Int(5))) return Error("Invalid priority. Priority must be between 1 and 5.");
        var ticket = Py.Dict(("id", _ticketCounter), ("title", title), ("description", description), ("status", "Open"),
            ("priority", priority), ("created_by", _currentUser));
        AsList(_ticketQueue, "append").Items.Add(ticket);
        _ticketCounter = PyOps.Add(_ticketCounter, Py.Int(1));
        return ticket;
    }

    private object? Find(object? ticketId)
    {
        foreach (var ticket in Py.Iter(_ticketQueue))
        {
            if (Py.Equal(Item(ticket, "id"), ticketId)) return ticket;
        }
        return null;
    }

    private PyDict SetStatus(object? ticketId, string status, string word, object? resolution)
    {
        var ticket = Find(ticketId);
        if (!Py.Truthy(ticket)) return Error($"Ticket with ID {Py.Str(ticketId)} not found.");
        if (Py.Equal(Item(ticket, "status"), status)) return Error($"Ticket with ID {Py.Str(ticketId)} is already {word}.");
        SetItem(ticket, "status", status);
        if (status == "Resolved") SetItem(ticket, "resolution", resolution);
        return Py.Dict(("status", $"Ticket {Py.Str(ticketId)} has been {word} successfully."));
    }

    private static readonly PySet ValidFields = new(["title", "description", "status", "priority"]);

    private PyDict Edit(object? ticketId, object? updates)
    {
        var ticket = Find(ticketId);
        if (!Py.Truthy(ticket)) return Error($"Ticket with ID {Py.Str(ticketId)} not found.");
        var fields = AsDict(updates, "keys");
        var invalid = new PySet(fields.Keys).Difference(ValidFields);
        if (invalid.Count > 0) return Error($"Invalid fields for update: {PyStr.Join(", ", invalid)}");
        foreach (var (key, value) in fields.Items())
        {
            if (value is not null) SetItem(ticket, key, value);
        }
        return Py.Dict(("status", $"Ticket {Py.Str(ticketId)} has been updated successfully."));
    }

    private PyDict Login(object? username, object? password)
    {
        if (Py.Truthy(username) && Py.Truthy(password))
        {
            _currentUser = username;
            return Py.Dict(("success", true));
        }
        return Py.Dict(("success", false));
    }

    private PyDict Logout()
    {
        if (!Py.Truthy(_currentUser)) return Py.Dict(("success", false));
        _currentUser = null;
        return Py.Dict(("success", true));
    }

    private PyList UserTickets(object? status)
    {
        if (!Py.Truthy(_currentUser)) return Py.List(Error("User not authenticated. Please log in to view tickets."));
        var tickets = Py.Iter(_ticketQueue).Where(t => Py.Equal(Item(t, "created_by"), _currentUser)).ToList();
        if (Py.Truthy(status))
            tickets = tickets.Where(t => PyStr.Lower(Item(t, "status")) == PyStr.Lower(status)).ToList();
        return new PyList(tickets);
    }
}
