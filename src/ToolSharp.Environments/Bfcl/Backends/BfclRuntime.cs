using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.Backends;

/// <summary>The Python module-level objects that BFCL's backend instances share within one process, scoped to one
/// ToolSharp run (an episode, or one check of a model against the ground truth).</summary>
/// <remarks>
/// In BFCL these objects are shared by every instance in the process and leak from entry to entry:
/// <c>TwitterAPI.post_tweet</c>'s default <c>tags=[]</c> and <c>mentions=[]</c> lists (a <c>mention</c> on a tweet
/// posted without mentions extends the default list, which every later tweet without mentions then shows), and the
/// long-context credit cards, bookings and weather dicts that backends link into their state and mutate. ToolSharp
/// gives each run its own, which is what BFCL does for an entry scored alone in a fresh process: the model's and the
/// ground truth's instances of one check still share them, as in BFCL.
/// </remarks>
internal sealed class BfclRuntime(BfclMultiTurnOptions options)
{
    private BfclLongContextData? _longContext;
    private PyDict? _creditCards;
    private PyDict? _bookings;
    private PyDict? _weather;

    public BfclMultiTurnOptions Options { get; } = options;

    /// <summary>The one list object <c>post_tweet</c> uses when called without <c>tags</c>.</summary>
    public PyList TweetTagsDefault { get; } = new();

    /// <summary>The one list object <c>post_tweet</c> uses when called without <c>mentions</c>.</summary>
    public PyList TweetMentionsDefault { get; } = new();

    public BfclLongContextData LongContext => _longContext ??= BfclLongContextData.Load(Options.ResolveLongContextFile());

    /// <summary>A read-only long-context constant.</summary>
    public object? Constant(string name) => LongContext[name];

    public PyDict CreditCardExtension => _creditCards ??= (PyDict)PyLiteral.DeepCopy(LongContext["CREDIT_CARD_EXTENSION"])!;

    public PyDict BookingRecordExtension => _bookings ??= (PyDict)PyLiteral.DeepCopy(LongContext["BOOKING_RECORD_EXTENSION"])!;

    public PyDict LongWeatherExtension => _weather ??= (PyDict)PyLiteral.DeepCopy(LongContext["LONG_WEATHER_EXTENSION"])!;
}
