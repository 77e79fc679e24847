using ToolSharp.Core.Errors;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>The eight BFCL multi-turn backend classes by their Python names, and their function-doc files.</summary>
public static class BfclApiCatalog
{
    /// <summary>Class name → doc file under <c>multi_turn_func_doc/</c> (BFCL's <c>MULTI_TURN_FUNC_DOC_FILE_MAPPING</c>).</summary>
    public static IReadOnlyDictionary<string, string> DocFiles { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GorillaFileSystem"] = "gorilla_file_system.json",
        ["MathAPI"] = "math_api.json",
        ["MessageAPI"] = "message_api.json",
        ["TwitterAPI"] = "posting_api.json",
        ["TicketAPI"] = "ticket_api.json",
        ["TradingBot"] = "trading_bot.json",
        ["TravelAPI"] = "travel_booking.json",
        ["VehicleControlAPI"] = "vehicle_control.json",
    };

    public static bool IsKnown(string className) => DocFiles.ContainsKey(className);

    internal static BfclApi Create(string className, BfclRuntime runtime) => className switch
    {
        "GorillaFileSystem" => new GorillaFileSystem(runtime),
        "MathAPI" => new MathApi(runtime),
        "MessageAPI" => new MessageApi(runtime),
        "TwitterAPI" => new TwitterApi(runtime),
        "TicketAPI" => new TicketApi(runtime),
        "TradingBot" => new TradingBot(runtime),
        "TravelAPI" => new TravelApi(runtime),
        "VehicleControlAPI" => new VehicleControlApi(runtime),
        _ => throw new ToolSharpException($"unknown BFCL class '{className}' (expected one of {string.Join(", ", DocFiles.Keys)})"),
    };
}
