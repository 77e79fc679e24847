using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>BFCL's <c>TradingBot</c>: login, stock lookups, orders, funds, watch list and transaction history.</summary>
/// <remarks>
/// The clock is BFCL's fixed <c>2024-09-01 10:30</c>; transaction timestamps are that time plus
/// <c>randint(0, 86400)</c> seconds from <c>random.Random(1053520)</c> (BFCL draws between two local timestamps a day
/// apart, which is the same offset in any time zone without a daylight-saving change that day). Unauthenticated
/// <c>get_watchlist</c>, <c>get_order_history</c> and <c>get_transaction_history</c> return lists, and the
/// long-context <c>get_watchlist</c> returns a list too, which BFCL renders with Python's repr.
/// </remarks>
internal sealed class TradingBot : BfclApi
{
    private static readonly DateTime CurrentTime = new(2024, 9, 1, 10, 30, 0);

    private object? _orders;
    private object? _accountInfo;
    private object? _authenticated;
    private object? _marketStatus;
    private object? _orderCounter;
    private object? _stocks;
    private object? _watchList;
    private object? _transactionHistory;
    private object? _longContext;
    private PyRandom _random = new(1053520);

    private static readonly BfclMethodTable<TradingBot> Table = new("TradingBot", table =>
    {
        table.Add("get_current_time", [], (s, _) => Py.Dict(("current_time", CurrentTime.ToString("hh:mm tt", System.Globalization.CultureInfo.InvariantCulture))));
        table.Add("get_symbol_by_name", [P("name")], (s, a) => Py.Dict(("symbol", SymbolMap().Get(a[0], "Stock not found"))));
        table.Add("get_stock_info", [P("symbol")], (s, a) => s.StockInfo(a[0]));
        table.Add("get_order_details", [P("order_id")], (s, a) => s.OrderDetails(a[0]));
        table.Add("cancel_order", [P("order_id")], (s, a) => s.CancelOrder(a[0]));
        table.Add("place_order", [P("order_type"), P("symbol"), P("price"), P("amount")], (s, a) => s.PlaceOrder(a[0], a[1], a[2], a[3]));
        table.Add("withdraw_funds", [P("amount")], (s, a) => s.Withdraw(a[0]));
        table.Add("get_account_info", [], (s, _) => Py.Truthy(s._authenticated)
            ? s._accountInfo
            : Error("User not authenticated. Please log in to view account information."));
        table.Add("trading_login", [P("username"), P("password")], (s, _) => s.Login());
        table.Add("trading_get_login_status", [], (s, _) => Py.Dict(("status", Py.Truthy(s._authenticated))));
        table.Add("trading_logout", [], (s, _) => s.Logout());
        table.Add("fund_account", [P("amount")], (s, a) => s.Fund(a[0]));
        table.Add("remove_stock_from_watchlist", [P("symbol")], (s, a) => s.RemoveFromWatchlist(a[0]));
        table.Add("get_watchlist", [], (s, _) => s.Watchlist());
        table.Add("get_order_history", [], (s, _) => Py.Truthy(s._authenticated)
            ? Py.Dict(("history", new PyList(AsDict(s._orders, "keys").Keys.ToList())))
            : Py.List(Error("User not authenticated. Please log in to view order history.")));
        table.Add("get_transaction_history", [P("start_date", null), P("end_date", null)], (s, a) => s.TransactionHistory(a[0], a[1]));
        table.Add("get_available_stocks", [P("sector")], (s, a) => s.AvailableStocks(a[0]));
        table.Add("filter_stocks_by_price", [P("stocks"), P("min_price"), P("max_price")], (s, a) => s.FilterByPrice(a[0], a[1], a[2]));
        table.Add("add_to_watchlist", [P("stock")], (s, a) => s.AddToWatchlist(a[0]));
        table.Add("notify_price_change", [P("stocks"), P("threshold")], (s, a) => s.NotifyPriceChange(a[0], a[1]));
    });

    public TradingBot(BfclRuntime runtime) : base(runtime)
    {
    }

    public override IReadOnlyDictionary<string, BfclMethod> Methods => Table.Methods;

    public override string ClassName => "TradingBot";

    public override IEnumerable<(string Name, object? Value)> State() =>
    [
        ("orders", _orders), ("account_info", _accountInfo), ("authenticated", _authenticated), ("market_status", _marketStatus),
        ("order_counter", _orderCounter), ("stocks", _stocks), ("watch_list", _watchList),
        ("transaction_history", _transactionHistory), ("long_context", _longContext),
    ];

    public override void LoadScenario(PyDict scenario, bool longContext)
    {
        var orders = new PyDict();
        foreach (var (key, value) in AsDict(Get(scenario, "orders", DefaultOrders()), "items").Items())
            orders.Set(key is string s && s.Length > 0 && s.All(c => PyStr.IsDigit(c.ToString())) ? PyOps.Int(s) : key, value);
        _orders = orders;
        _accountInfo = Get(scenario, "account_info", Py.Dict(("account_id", 12345), ("balance", 10000.0), ("binding_card", 1974202140965533L)));
        _authenticated = Get(scenario, "authenticated", false);
        _marketStatus = Get(scenario, "market_status", "Closed");
        _orderCounter = Get(scenario, "order_counter", 12446);
        _stocks = Get(scenario, "stocks", DefaultStocks());
        _watchList = Get(scenario, "watch_list", Py.List("NVDA"));
        _transactionHistory = Get(scenario, "transaction_history", new PyList());
        _longContext = longContext;
        _random = new PyRandom(MessageApi.SeedOf(Get(scenario, "random_seed", 1053520)));
    }

    private static PyDict DefaultOrders() => Py.Dict(
        (12345, Py.Dict(("id", 12345), ("order_type", "Buy"), ("symbol", "AAPL"), ("price", 210.65), ("amount", 10), ("status", "Completed"))),
        (12446, Py.Dict(("id", 12446), ("order_type", "Sell"), ("symbol", "GOOG"), ("price", 2840.56), ("amount", 5), ("status", "Pending"))));

    private static PyDict Stock(double price, double percentChange, double volume, double ma5, double ma20) =>
        Py.Dict(("price", price), ("percent_change", percentChange), ("volume", volume), ("MA(5)", ma5), ("MA(20)", ma20));

    private static PyDict DefaultStocks() => Py.Dict(
        ("AAPL", Stock(227.16, 0.17, 2.552, 227.11, 227.09)),
        ("GOOG", Stock(2840.34, 0.24, 1.123, 2835.67, 2842.15)),
        ("TSLA", Stock(667.92, -0.12, 1.654, 671.15, 668.20)),
        ("MSFT", Stock(310.23, 0.09, 3.234, 309.88, 310.11)),
        ("NVDA", Stock(220.34, 0.34, 1.234, 220.45, 220.67)),
        ("ALPH", Stock(1320.45, -0.08, 1.567, 1321.12, 1325.78)),
        ("OMEG", Stock(457.23, 0.12, 2.345, 456.78, 458.12)),
        ("QUAS", Stock(725.89, -0.03, 1.789, 726.45, 728.00)),
        ("NEPT", Stock(88.34, 0.19, 0.654, 88.21, 88.67)),
        ("SYNX", Stock(345.67, 0.11, 2.112, 345.34, 346.12)),
        ("ZETA", Stock(22.09, -0.05, 0.789, 22.12, 22.34)));

    private static PyDict SymbolMap() => Py.Dict(
        ("Apple", "AAPL"), ("Google", "GOOG"), ("Tesla", "TSLA"), ("Microsoft", "MSFT"), ("Nvidia", "NVDA"), ("Zeta Corp", "ZETA"),
        ("Alpha Tech", "ALPH"), ("Omega Industries", "OMEG"), ("Quasar Ltd.", "QUAS"), ("Neptune Systems", "NEPT"),
        ("Synex Solutions", "SYNX"), ("Amazon", "AMZN"), ("Gorilla", "GORI"));

    private static PyDict Error(string message) => Py.Dict(("error", message));

    private string Timestamp()
    {
        var offset = _random.RandInt(0, 86400);
        return PyDateTime.Format(CurrentTime.AddSeconds((double)offset));
    }

    private object? StockInfo(object? symbol)
    {
        if (!Py.Contains(_stocks, symbol)) return Error($"Stock with symbol '{Py.Str(symbol)}' not found.");
        if (Py.Truthy(_longContext))
        {
            var stock = AsDict(Item(_stocks, symbol), "copy").Copy();
            stock["MA(5)"] = Runtime.Constant("MA_5_EXTENSION");
            stock["MA(20)"] = Runtime.Constant("MA_20_EXTENSION");
            return stock;
        }
        return Item(_stocks, symbol);
    }

    private object? OrderDetails(object? orderId)
    {
        if (!Py.Contains(_orders, orderId))
        {
            return Error($"Order with ID {Py.Str(orderId)} not found." + "Here is the list of orders_id: " +
                         Py.Repr(new PyList(AsDict(_orders, "keys").Keys.ToList())));
        }
        if (Py.Truthy(_longContext))
        {
            var order = AsDict(Item(_orders, orderId), "copy").Copy();
            var symbol = order["symbol"];
            var formatted = new PyDict();
            foreach (var (key, value) in AsDict(Runtime.Constant("ORDER_DETAIL_EXTENSION"), "items").Items())
            {
                try
                {
                    formatted[key] = PyStr.Format(PyStr.Self(value, "format"), new Dictionary<string, object?> { ["symbol"] = symbol });
                }
                catch (PyException e) when (e.Is("KeyError"))
                {
                    return Error($"KeyError during formatting: {e.Message}");
                }
            }
            order["metadata"] = formatted;
            return order;
        }
        return Item(_orders, orderId);
    }

    private PyDict CancelOrder(object? orderId)
    {
        if (!Py.Contains(_orders, orderId)) return Error($"Order with ID {Py.Str(orderId)} not found.");
        var order = Item(_orders, orderId);
        if (Py.Equal(Item(order, "status"), "Completed")) return Error($"Can't cancel order {Py.Str(orderId)}. Order is already completed.");
        SetItem(order, "status", "Cancelled");
        return Py.Dict(("order_id", orderId), ("status", "Cancelled"));
    }

    private PyDict PlaceOrder(object? orderType, object? symbol, object? price, object? amount)
    {
        if (!Py.Truthy(_authenticated)) return Error("User not authenticated. Please log in to place an order.");
        if (!Py.Contains(_stocks, symbol)) return Error($"Invalid stock symbol: {Py.Str(symbol)}");
        if (Py.Le(price, Py.Int(0)) || Py.Le(amount, Py.Int(0))) return Error("Price and amount must be positive values.");
        if (PyStr.Lower(orderType) == "buy")
        {
            var totalCost = PyOps.Mul(PyOps.Float(price), PyOps.Int(amount));
            var balance = DictGet(_accountInfo, "balance", Py.Int(0));
            if (Py.Gt(totalCost, balance))
            {
                return Error($"Insufficient funds: required ${PyOps.FormatFixed(totalCost, 2)} but only " +
                             $"${PyOps.FormatFixed(DictGet(_accountInfo, "balance", Py.Int(0)), 2)} available.");
            }
        }
        var floatPrice = PyOps.Float(price);
        var orderId = _orderCounter;
        SetItem(_orders, orderId, Py.Dict(("id", orderId), ("order_type", orderType), ("symbol", symbol), ("price", floatPrice),
            ("amount", amount), ("status", "Open")));
        _orderCounter = PyOps.Add(_orderCounter, Py.Int(1));
        return Py.Dict(("order_id", orderId), ("order_type", orderType), ("status", "Pending"), ("price", floatPrice), ("amount", amount));
    }

    private PyDict Withdraw(object? amount)
    {
        if (!Py.Truthy(_authenticated)) return Error("User not authenticated. Please log in to make a transaction.");
        if (!Py.Equal(_marketStatus, "Open")) return Error("Market is closed. Transactions are not allowed.");
        if (Py.Le(amount, Py.Int(0))) return Error("Transaction amount must be positive.");
        if (Py.Gt(amount, Item(_accountInfo, "balance"))) return Error("Insufficient funds for withdrawal.");
        SetItem(_accountInfo, "balance", PyOps.Sub(Item(_accountInfo, "balance"), amount));
        AsList(_transactionHistory, "append").Items.Add(Py.Dict(("type", "withdrawal"), ("amount", amount), ("timestamp", Timestamp())));
        return Py.Dict(("status", "Withdrawal successful"), ("new_balance", Item(_accountInfo, "balance")));
    }

    private PyDict Login()
    {
        if (Py.Truthy(_authenticated)) return Py.Dict(("status", "Already logged in"));
        _authenticated = true;
        return Py.Dict(("status", "Logged in successfully"));
    }

    private PyDict Logout()
    {
        if (!Py.Truthy(_authenticated)) return Py.Dict(("status", "No user is currently logged in"));
        _authenticated = false;
        return Py.Dict(("status", "Logged out successfully"));
    }

    private PyDict Fund(object? amount)
    {
        if (!Py.Truthy(_authenticated)) return Error("User not authenticated. Please log in to fund the account.");
        if (Py.Le(amount, Py.Int(0))) return Error("Funding amount must be positive.");
        SetItem(_accountInfo, "balance", PyOps.Add(Item(_accountInfo, "balance"), amount));
        AsList(_transactionHistory, "append").Items.Add(Py.Dict(("type", "deposit"), ("amount", amount), ("timestamp", Timestamp())));
        return Py.Dict(("status", "Account funded successfully"), ("new_balance", Item(_accountInfo, "balance")));
    }

    private PyDict RemoveFromWatchlist(object? symbol)
    {
        if (!Py.Truthy(_authenticated)) return Error("User not authenticated. Please log in to modify the watchlist.");
        if (!Py.Contains(_watchList, symbol)) return Error($"Stock {Py.Str(symbol)} not found in watchlist.");
        AsList(_watchList, "remove").Remove(symbol);
        return Py.Dict(("status", $"Stock {Py.Str(symbol)} removed from watchlist successfully."));
    }

    private object? Watchlist()
    {
        if (!Py.Truthy(_authenticated)) return Py.List("Error: User not authenticated. Please log in to view the watchlist.");
        if (Py.Truthy(_longContext))
        {
            var list = AsList(_watchList, "copy").Copy();
            Extend(list, Runtime.Constant("WATCH_LIST_EXTENSION"));
            return list;
        }
        return Py.Dict(("watchlist", _watchList));
    }

    private object? TransactionHistory(object? startDate, object? endDate)
    {
        if (!Py.Truthy(_authenticated)) return Py.List(Error("User not authenticated. Please log in to view transaction history."));
        var start = Py.Truthy(startDate) ? PyDateTime.Parse(startDate, "%Y-%m-%d") : DateTime.MinValue;
        var end = Py.Truthy(endDate) ? PyDateTime.Parse(endDate, "%Y-%m-%d") : DateTime.MaxValue;
        var filtered = new List<object?>();
        foreach (var transaction in Py.Iter(_transactionHistory))
        {
            var time = PyDateTime.Parse(Item(transaction, "timestamp"), "%Y-%m-%d %H:%M:%S");
            if (start <= time && time <= end) filtered.Add(transaction);
        }
        if (Py.Truthy(_longContext)) filtered.AddRange(Py.Iter(Runtime.Constant("TRANSACTION_HISTORY_EXTENSION")));
        return Py.Dict(("transaction_history", new PyList(filtered)));
    }

    private PyDict AvailableStocks(object? sector)
    {
        var technology = Py.List("AAPL", "GOOG", "MSFT", "NVDA");
        var automobile = Py.List("TSLA", "F", "GM");
        if (Py.Truthy(_longContext))
        {
            Extend(technology, Runtime.Constant("TECHNOLOGY_EXTENSION"));
            Extend(automobile, Runtime.Constant("AUTOMOBILE_EXTENSION"));
        }
        var map = Py.Dict(("Technology", technology), ("Automobile", automobile));
        return Py.Dict(("stock_list", map.Get(sector, new PyList())));
    }

    private PyDict FilterByPrice(object? stocks, object? minPrice, object? maxPrice)
    {
        var filtered = new List<object?>();
        foreach (var symbol in Py.Iter(stocks))
        {
            if (Py.Ge(PriceOf(symbol), minPrice) && Py.Le(PriceOf(symbol), maxPrice)) filtered.Add(symbol);
        }
        return Py.Dict(("filtered_stocks", new PyList(filtered)));
    }

    private object? PriceOf(object? symbol) => DictGet(DictGet(_stocks, symbol, new PyDict()), "price", Py.Int(0));

    private PyDict AddToWatchlist(object? stock)
    {
        if (!Py.Contains(_watchList, stock) && Py.Contains(_stocks, stock)) AsList(_watchList, "append").Items.Add(stock);
        return Py.Dict(("watchlist", _watchList));
    }

    private PyDict NotifyPriceChange(object? stocks, object? threshold)
    {
        var changed = new List<object?>();
        foreach (var symbol in Py.Iter(stocks))
        {
            if (Py.Contains(_stocks, symbol) && Py.Ge(PyOps.Abs(Item(Item(_stocks, symbol), "percent_change")), threshold)) changed.Add(symbol);
        }
        return changed.Count > 0
            ? Py.Dict(("notification", $"Stocks {PyStr.Join(", ", new PyList(changed))} have significant price changes."))
            : Py.Dict(("notification", "No significant price changes in the selected stocks."));
    }
}
