using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>BFCL's <c>TravelAPI</c> (travel_booking): authentication, credit cards, flight costs and bookings,
/// invoices, insurance, exchange rates, traveller verification and a budget limit.</summary>
/// <remarks>
/// Ids (access token, card, booking, transaction, insurance) come from <c>random.Random(141053)</c>. The traveller's
/// age is checked against <see cref="BfclMultiTurnOptions.TravelToday"/>, by default the machine's date like BFCL's
/// <c>datetime.today()</c>. <c>book_flight</c>'s invalid-class message prints a set, whose order BFCL's Python varies
/// per process; ToolSharp prints <c>{'economy', 'business', 'first'}</c>. In the long-context category the filler
/// cards and bookings are added to the state (shared with the other instance of the run, see <see cref="BfclRuntime"/>)
/// and <c>get_flight_cost</c> lists the cost of every route.
/// </remarks>
internal sealed class TravelApi : BfclApi
{
    private const string Routes =
        "SFOLAX200 SFOJFK500 SFOORD400 SFOBOS450 SFORMS300 SFOSBK350 SFOMPC370 SFOSVP320 SFOSHD330 SFOSSV340 " +
        "SFOOKD360 SFOWLB310 SFOCRH380 SFOATV390 SFOPHV420 SFOGFD430 SFOCIA700 LAXSFO100 LAXJFK600 LAXORD500 " +
        "LAXBOS550 LAXRMS310 LAXSBK320 LAXMPC330 LAXSVP340 LAXSHD350 LAXSSV360 LAXOKD370 LAXWLB380 LAXCRH390 " +
        "LAXATV400 LAXPHV410 LAXGFD420 LAXHND430 JFKORD300 JFKBOS250 JFKRMS450 JFKSBK460 JFKMPC470 JFKSVP480 " +
        "JFKSHD490 JFKSSV500 JFKOKD510 JFKWLB520 JFKCRH530 JFKATV540 JFKPHV550 JFKGFD560 JFKLAX570 JFKHND800 " +
        "JFKPVG950 JFKPEK1000 ORDLAX180 ORDBOS200 ORDRMS350 ORDSBK360 ORDMPC370 ORDSVP380 ORDSHD390 ORDSSV400 " +
        "ORDOKD410 ORDWLB420 ORDCRH430 ORDATV440 ORDPHV450 ORDGFD460 BOSRMS400 BOSSBK410 BOSMPC420 BOSSVP430 " +
        "BOSSHD440 BOSSSV450 BOSOKD460 BOSWLB470 BOSCRH480 BOSATV490 BOSPHV500 BOSGFD510 RMSBOS200 RMSJFK210 " +
        "RMSSBK220 RMSMPC230 RMSSVP240 RMSSHD250 RMSSSV260 RMSOKD270 RMSWLB280 RMSCRH290 RMSATV300 RMSPHV310 " +
        "RMSGFD320 RMSLAX330 SBKMPC200 SBKSVP210 SBKSHD220 SBKSSV230 SBKOKD240 SBKWLB250 SBKCRH260 SBKATV270 " +
        "SBKPHV280 SBKGFD290 MPCSVP210 MPCSHD220 MPCSSV230 MPCOKD240 MPCWLB250 MPCCRH260 MPCATV270 MPCPHV280 " +
        "MPCGFD290 SVPSHD230 SVPSSV240 SVPOKD250 SVPWLB260 SVPCRH270 SVPATV280 SVPPHV290 SVPGFD300 SHDSSV220 " +
        "SHDOKD230 SHDWLB240 SHDCRH250 SHDATV260 SHDPHV270 SHDGFD280 SSVOKD240 SSVWLB250 SSVCRH260 SSVATV270 " +
        "SSVPHV280 SSVGFD290 OKDWLB230 OKDCRH240 OKDATV250 OKDPHV260 OKDGFD270 WLBCRH250 WLBATV260 WLBPHV270 " +
        "WLBGFD280 CRHATV240 CRHPHV250 CRHGFD260 CRHSFO270 CRHRMS280 CRHHKG290 CRHJFK300 ATVPHV230 ATVGFD240 " +
        "PHVGFD220 LHRCDG100 OKDLAX220";

    private static readonly (string From, string To, int Cost)[] BaseCosts =
        Routes.Split(' ').Select(r => (r[..3], r[3..6], int.Parse(r[6..], System.Globalization.CultureInfo.InvariantCulture))).ToArray();

    private static readonly string[] Airports =
        ["RMS", "SBK", "MPC", "SVP", "SHD", "CDG", "LHR", "SSV", "OKD", "WLB", "PEK", "HND", "HKG", "CIA", "CRH", "ATV", "PHV", "GFD", "SFO", "LAX", "JFK", "ORD", "BOS"];

    private static readonly (string City, string Code)[] CityAirports =
    [
        ("Rivermist", "RMS"), ("Stonebrook", "SBK"), ("Maplecrest", "MPC"), ("Silverpine", "SVP"), ("Shadowridge", "SHD"),
        ("London", "LHR"), ("Paris", "CDG"), ("Sunset Valley", "SSV"), ("Oakendale", "OKD"), ("Willowbend", "WLB"),
        ("Crescent Hollow", "CRH"), ("Autumnville", "ATV"), ("Pinehaven", "PHV"), ("Greenfield", "GFD"), ("San Francisco", "SFO"),
        ("Los Angeles", "LAX"), ("New York", "JFK"), ("Chicago", "ORD"), ("Boston", "BOS"), ("Beijing", "PEK"), ("Hong Kong", "HKG"),
        ("Rome", "CIA"), ("Tokyo", "HND"),
    ];

    private static readonly (string Base, string Target, object Rate)[] ExchangeRates =
    [
        ("USD", "RMB", Py.Int(7)), ("USD", "EUR", 0.8), ("USD", "JPY", Py.Int(110)), ("USD", "GBP", 0.7), ("USD", "CAD", 1.3),
        ("USD", "AUD", 1.4), ("USD", "INR", Py.Int(70)), ("USD", "RUB", Py.Int(60)), ("USD", "BRL", 3.8), ("USD", "MXN", Py.Int(20)),
    ];

    private PyRandom _random = new(141053);
    private object? _creditCards;
    private object? _bookings;
    private object? _accessToken;
    private object? _tokenType;
    private object? _tokenExpiresIn;
    private object? _tokenScope;
    private object? _firstName;
    private object? _lastName;
    private object? _budgetLimit;
    private object? _longContext;
    private PyDict _flightCostLookup = new();

    private static readonly BfclMethodTable<TravelApi> Table = new("TravelAPI", table =>
    {
        table.Add("authenticate_travel", [P("client_id"), P("client_secret"), P("refresh_token"), P("grant_type"), P("user_first_name"), P("user_last_name")], (s, a) => s.Authenticate(a[3], a[4], a[5]));
        table.Add("travel_get_login_status", [], (s, _) => Py.Dict(("status", !(s._tokenExpiresIn is null || Py.Equal(s._tokenExpiresIn, Py.Int(0))))));
        table.Add("get_budget_fiscal_year", [P("lastModifiedAfter", null), P("includeRemoved", null)], (s, _) => Py.Dict(("budget_fiscal_year", "2018")));
        table.Add("register_credit_card", [P("access_token"), P("card_number"), P("expiration_date"), P("cardholder_name"), P("card_verification_number")], (s, a) => s.RegisterCard(a[0], a[1], a[2], a[3], a[4]));
        table.Add("get_flight_cost", [P("travel_from"), P("travel_to"), P("travel_date"), P("travel_class")], (s, a) => s.FlightCost(a[0], a[1], a[2], a[3]));
        table.Add("get_credit_card_balance", [P("access_token"), P("card_id")], (s, a) => s.CardBalance(a[0], a[1]));
        table.Add("book_flight", [P("access_token"), P("card_id"), P("travel_date"), P("travel_from"), P("travel_to"), P("travel_class")], (s, a) => s.BookFlight(a[0], a[1], a[2], a[3], a[4], a[5]));
        table.Add("retrieve_invoice", [P("access_token"), P("booking_id", null), P("insurance_id", null)], (s, a) => s.RetrieveInvoice(a[0], a[1]));
        table.Add("get_booking_history", [P("access_token")], (s, a) => s.BookingHistory(a[0]));
        table.Add("list_all_airports", [], (s, _) => new PyList(Airports.Select(x => (object?)x).ToList()));
        table.Add("cancel_booking", [P("access_token"), P("booking_id")], (s, a) => s.CancelBooking(a[0], a[1]));
        table.Add("compute_exchange_rate", [P("base_currency"), P("target_currency"), P("value")], (s, a) => ExchangeRate(a[0], a[1], a[2]));
        table.Add("verify_traveler_information", [P("first_name"), P("last_name"), P("date_of_birth"), P("passport_number")], (s, a) => s.VerifyTraveler(a[0], a[1], a[2], a[3]));
        table.Add("set_budget_limit", [P("access_token"), P("budget_limit")], (s, a) => s.SetBudgetLimit(a[0], a[1]));
        table.Add("get_nearest_airport_by_city", [P("location")], (s, a) => Py.Dict(("nearest_airport", Py.Dict(CityAirports.Select(p => ((object?)p.City, (object?)p.Code)).ToArray()).Get(a[0], "Unknown"))));
        table.Add("purchase_insurance", [P("access_token"), P("insurance_type"), P("booking_id"), P("insurance_cost"), P("card_id")], (s, a) => s.PurchaseInsurance(a[0], a[2], a[3], a[4]));
        table.Add("contact_customer_support", [P("booking_id"), P("message")], (s, a) => s.ContactSupport(a[0]));
        table.Add("get_all_credit_cards", [], (s, _) => Py.Dict(("credit_card_list", s._creditCards)));
    });

    public TravelApi(BfclRuntime runtime) : base(runtime)
    {
    }

    public override IReadOnlyDictionary<string, BfclMethod> Methods => Table.Methods;

    public override string ClassName => "TravelAPI";

    public override IEnumerable<(string Name, object? Value)> State() =>
    [
        ("credit_card_list", _creditCards), ("booking_record", _bookings), ("access_token", _accessToken), ("token_type", _tokenType),
        ("token_expires_in", _tokenExpiresIn), ("token_scope", _tokenScope), ("user_first_name", _firstName),
        ("user_last_name", _lastName), ("budget_limit", _budgetLimit), ("long_context", _longContext),
    ];

    public override void LoadScenario(PyDict scenario, bool longContext)
    {
        _random = new PyRandom(MessageApi.SeedOf(Get(scenario, "random_seed", 141053)));
        _creditCards = Get(scenario, "credit_card_list", new PyDict());
        _bookings = Get(scenario, "booking_record", new PyDict());
        _accessToken = Get(scenario, "access_token", null);
        _tokenType = Get(scenario, "token_type", null);
        _tokenExpiresIn = Get(scenario, "token_expires_in", null);
        _tokenScope = Get(scenario, "token_scope", null);
        _firstName = Get(scenario, "user_first_name", null);
        _lastName = Get(scenario, "user_last_name", null);
        _budgetLimit = Get(scenario, "budget_limit", null);
        _longContext = longContext;
        if (longContext)
        {
            foreach (var (id, card) in Runtime.CreditCardExtension.Items())
                if (!Py.Contains(_creditCards, id)) SetItem(_creditCards, id, card);
            foreach (var (id, booking) in Runtime.BookingRecordExtension.Items())
                if (!Py.Contains(_bookings, id)) SetItem(_bookings, id, booking);
        }
    }

    private static PyDict Error(string message) => Py.Dict(("error", message));

    private bool Expired => Py.Equal(_tokenExpiresIn, Py.Int(0));

    private bool BadToken(object? token) => !Py.Equal(token, _accessToken);

    private PyDict Authenticate(object? grantType, object? firstName, object? lastName)
    {
        _tokenExpiresIn = Py.Int(2);
        _accessToken = Py.Str(_random.RandInt(100000, 999999));
        _tokenType = "Bearer";
        _tokenScope = grantType;
        _firstName = firstName;
        _lastName = lastName;
        return Py.Dict(("expires_in", 2), ("access_token", _accessToken), ("token_type", "Bearer"), ("scope", grantType));
    }

    private PyDict RegisterCard(object? token, object? cardNumber, object? expiration, object? holder, object? cvn)
    {
        if (_tokenExpiresIn is null) return Error("Token not initialized");
        if (Expired) return Error("Token expired");
        if (BadToken(token)) return Error("Invalid access token");
        if (Py.Contains(_creditCards, cardNumber)) return Error("Card already registered");
        var cardId = Py.Str(_random.RandInt(100000000000, 999999999999));
        var card = Py.Dict(("card_number", cardNumber), ("expiration_date", expiration), ("cardholder_name", holder),
            ("card_verification_number", cvn), ("balance", _random.RandInt(10000, 99999)));
        SetItem(_creditCards, cardId, card);
        return Py.Dict(("card_id", cardId));
    }

    private PyDict FlightCost(object? from, object? to, object? date, object? travelClass)
    {
        var pair = new PyTuple([from, to]);
        Py.RequireHashable(pair);
        var route = BaseCosts.Where(r => Py.Equal(r.From, from) && Py.Equal(r.To, to)).Select(r => (int?)r.Cost).FirstOrDefault();
        if (route is null) throw PyException.ValueError("No available route for the given airports.");
        int factor;
        if (Py.Equal(travelClass, "economy")) factor = 1;
        else if (Py.Equal(travelClass, "business")) factor = 2;
        else if (Py.Equal(travelClass, "first")) factor = 5;
        else throw PyException.ValueError("Invalid travel class. Options are: economy, business, first.");
        object? digitSum = Py.Int(0);
        foreach (var ch in Py.Iter(date))
        {
            if (!(ch is string s ? PyStr.IsDigit(s) : throw PyException.AttributeError(ch, "isdigit"))) continue;
            digitSum = PyOps.Add(digitSum, PyOps.Int(ch));
        }
        var multiplier = Py.Equal(PyOps.Mod(digitSum, Py.Int(2)), Py.Int(0)) ? 2 : 1;
        var key = $"{Py.Str(from)}|{Py.Str(to)}|{Py.Str(travelClass)}|{Py.Str(date)}";
        var costs = new List<object?>();
        if (Py.Truthy(_longContext))
        {
            _flightCostLookup = new PyDict();
            foreach (var (f, t, cost) in BaseCosts)
            {
                var value = (double)(cost * factor * multiplier);
                _flightCostLookup[$"{f}|{t}|{Py.Str(travelClass)}|{Py.Str(date)}"] = Py.Dict(("cost", value));
                costs.Add(value);
            }
        }
        else
        {
            var value = (double)(route.Value * factor * multiplier);
            costs.Add(value);
            _flightCostLookup = Py.Dict((key, Py.Dict(("cost", value))));
        }
        return Py.Dict(("travel_cost_list", new PyList(costs)));
    }

    private PyDict CardBalance(object? token, object? cardId)
    {
        if (Expired) return Error("Token expired");
        if (BadToken(token)) return Error("Invalid access token");
        if (!Py.Contains(_creditCards, cardId))
            return Error("Card not registered. Here are a list of card_id's: " + Py.Repr(new PyList(AsDict(_creditCards, "keys").Keys.ToList())));
        return Py.Dict(("card_balance", Item(Item(_creditCards, cardId), "balance")));
    }

    private PyDict BookFlight(object? token, object? cardId, object? date, object? from, object? to, object? travelClass)
    {
        PyDict Fail(string message) => Py.Dict(("booking_status", false), ("error", message));
        if (Expired) return Fail("Token expired");
        if (BadToken(token)) return Fail("Invalid access token");
        if (!Py.Contains(_creditCards, cardId)) return Fail("Card not registered");
        if (!Py.Contains(Item(_creditCards, cardId), "balance")) return Fail("Balance not found");
        var airports = new PyList(Airports.Select(x => (object?)x).ToList());
        if (!Py.Contains(airports, from)) return Fail($"Invalid departure airport code: {Py.Str(from)}");
        if (!Py.Contains(airports, to)) return Fail($"Invalid destination airport code: {Py.Str(to)}");
        try
        {
            PyDateTime.Parse(date, "%Y-%m-%d");
        }
        catch (PyException e) when (e.Is("ValueError"))
        {
            return Fail("Invalid date format. Use YYYY-MM-DD.");
        }
        var validClasses = new PySet(["economy", "business", "first"]);
        if (!validClasses.Contains(travelClass)) return Fail($"Invalid travel class. Must be one of {Py.Repr(validClasses)}");
        object? cost;
        try
        {
            FlightCost(from, to, date, travelClass);
            var key = $"{Py.Str(from)}|{Py.Str(to)}|{Py.Str(travelClass)}|{Py.Str(date)}";
            var entry = _flightCostLookup.Get(key);
            if (entry is null) return Fail("No available route for the given parameters");
            cost = Item(entry, "cost");
        }
        catch (PyException e) when (e.Is("ValueError"))
        {
            return Fail(e.Message);
        }
        var card = Item(_creditCards, cardId);
        if (Py.Lt(Item(card, "balance"), cost)) return Fail("Insufficient funds");
        if (_budgetLimit is not null && Py.Lt(Item(card, "balance"), _budgetLimit)) return Fail("Balance is less than budget limit");
        SetItem(card, "balance", PyOps.Sub(Item(card, "balance"), cost));
        var bookingId = Py.Str(_random.RandInt(1000000, 9999999));
        var transactionId = Py.Str(_random.RandInt(10000000, 99999999));
        SetItem(_bookings, bookingId, Py.Dict(("card_id", cardId), ("travel_date", date), ("travel_from", from), ("travel_to", to),
            ("travel_class", travelClass), ("travel_cost", cost), ("transaction_id", transactionId)));
        return Py.Dict(("booking_id", bookingId), ("transaction_id", transactionId), ("booking_status", true),
            ("booking_history", Py.Truthy(_longContext) ? _bookings : new PyDict()));
    }

    private PyDict RetrieveInvoice(object? token, object? bookingId)
    {
        if (Expired) return Error("Token expired");
        if (BadToken(token)) return Error("Invalid access token");
        if (!Py.Contains(_bookings, bookingId)) return Error("Booking not found");
        var record = Item(_bookings, bookingId);
        var invoice = Py.Dict(("booking_id", bookingId), ("travel_date", Item(record, "travel_date")), ("travel_from", Item(record, "travel_from")),
            ("travel_to", Item(record, "travel_to")), ("travel_class", Item(record, "travel_class")), ("travel_cost", Item(record, "travel_cost")),
            ("transaction_id", Item(record, "transaction_id")));
        return Py.Dict(("invoice", invoice));
    }

    private PyDict BookingHistory(object? token)
    {
        if (Expired) return Error("Token expired");
        if (BadToken(token)) return Error("Invalid access token");
        return Py.Dict(("booking_history", PyLiteral.DeepCopy(_bookings)));
    }

    private PyDict CancelBooking(object? token, object? bookingId)
    {
        PyDict Fail(string message) => Py.Dict(("cancel_status", false), ("error", message));
        if (Expired) return Fail("Token expired");
        if (BadToken(token)) return Fail("Invalid access token");
        if (!Py.Contains(_bookings, bookingId)) return Fail("Booking not found");
        var record = Item(_bookings, bookingId);
        var cardId = Item(record, "card_id");
        var cost = Item(record, "travel_cost");
        var card = Item(_creditCards, cardId);
        SetItem(card, "balance", PyOps.Add(Item(card, "balance"), cost));
        AsDict(_bookings, "pop").Pop(bookingId);
        return Py.Dict(("cancel_status", true));
    }

    private static PyDict ExchangeRate(object? from, object? to, object? value)
    {
        foreach (var (b, t, rate) in ExchangeRates)
        {
            if (Py.Equal(from, b) && Py.Equal(to, t)) return Py.Dict(("exchanged_value", PyOps.Float(PyOps.Mul(value, rate))));
            if (Py.Equal(from, t) && Py.Equal(to, b)) return Py.Dict(("exchanged_value", PyOps.Round(PyOps.TrueDiv(value, rate), Py.Int(2), hasNdigits: true)));
        }
        throw PyException.ValueError("No available exchange rate for the given currencies.");
    }

    private PyDict VerifyTraveler(object? firstName, object? lastName, object? dateOfBirth, object? passport)
    {
        PyDict Fail(string reason) => Py.Dict(("verification_status", false), ("verification_failure", reason));
        if (!Py.Equal(_firstName, firstName) || !Py.Equal(_lastName, lastName))
        {
            return Fail("Cannot book flight information for another user." +
                        $"Expected {Py.Str(_firstName)} {Py.Str(_lastName)}, got {Py.Str(firstName)} {Py.Str(lastName)}");
        }
        int age;
        try
        {
            var birth = PyDateTime.Parse(dateOfBirth, "%Y-%m-%d");
            var today = Runtime.Options.TravelToday ?? DateOnly.FromDateTime(DateTime.Today);
            age = today.Year - birth.Year - ((today.Month, today.Day).CompareTo((birth.Month, birth.Day)) < 0 ? 1 : 0);
        }
        catch (PyException e) when (e.Is("ValueError"))
        {
            return Fail("Invalid date of birth format. Please use YYYY-MM-DD.");
        }
        if (age < 18) return Fail("Traveler must be at least 18 years old.");
        if (!PyStr.StartsWith(passport, "US")) return Fail("Passport must be issued by the United States.");
        return Py.Dict(("verification_status", true));
    }

    private PyDict SetBudgetLimit(object? token, object? limit)
    {
        if (Expired) return Error("Token expired");
        if (BadToken(token)) return Error("Invalid access token");
        var value = PyOps.Float(limit);
        _budgetLimit = value;
        return Py.Dict(("budget_limit", value));
    }

    private PyDict PurchaseInsurance(object? token, object? bookingId, object? cost, object? cardId)
    {
        PyDict Fail(string message) => Py.Dict(("insurance_status", false), ("error", message));
        if (Expired) return Fail("Token expired");
        if (BadToken(token)) return Fail("Invalid access token");
        if (_budgetLimit is not null && Py.Lt(_budgetLimit, cost)) return Fail("Exceeded budget limit");
        if (!Py.Contains(_bookings, bookingId)) return Fail("Booking not found");
        if (!Py.Contains(_creditCards, cardId)) return Fail("Credit card not registered");
        var card = Item(_creditCards, cardId);
        SetItem(card, "balance", PyOps.Sub(Item(card, "balance"), cost));
        return Py.Dict(("insurance_id", Py.Str(_random.RandInt(100000000, 999999999))), ("insurance_status", true));
    }

    private PyDict ContactSupport(object? bookingId)
    {
        if (!Py.Contains(_bookings, bookingId)) return Error("Booking not found");
        return Py.Dict(("customer_support_message",
            "Thank you for contacting customer support. Your message has been received and we will get back to you shortly."));
    }
}
