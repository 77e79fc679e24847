using ToolSharp.Models.Generation;
using ToolSharp.Text.Builtin;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Testing;

/// <summary>A generation session that writes what a script says instead of sampling a model: the script sees the
/// sequence's text so far (built-in tokenizer, special tokens spelled out) and returns the next turn's text; the
/// session emits its tokens and the end-of-turn token, honouring the token limits like the real session.</summary>
/// <remarks>Lets a test drive the real rollout machinery and episode rules with known model outputs, and compare them
/// with the same outputs sent through the turn-at-a-time agent loop.</remarks>
/// <param name="script">The next turn's text for the sequence's text so far.</param>
/// <param name="tokenizer">The tokenizer (default: the built-in one).</param>
/// <param name="endOfTurn">The id appended to each turn (default: the built-in <c>&lt;|end|&gt;</c>).</param>
public sealed class ScriptedSession(Func<string, string> script, ITokenizer? tokenizer = null, int? endOfTurn = null) : IGenerationSession
{
    private readonly Dictionary<int, List<int>> _sequences = [];
    private readonly ITokenizer _tokenizer = tokenizer ?? BuiltinTokenizer.Instance;
    private readonly int _endOfTurn = endOfTurn ?? BuiltinTokenizer.Instance.Id(BuiltinTokenizer.End);
    private int _next;

    private ITokenizer Tokenizer => _tokenizer;

    public int Start(IReadOnlyList<int> prompt, ulong seed)
    {
        _sequences[_next] = [.. prompt];
        return _next++;
    }

    public int[] Fork(int sequence, IReadOnlyList<ulong> seeds) => seeds.Select(_ =>
    {
        _sequences[_next] = [.. _sequences[sequence]];
        return _next++;
    }).ToArray();

    public void Append(int sequence, IReadOnlyList<int> tokens) => _sequences[sequence].AddRange(tokens);

    public void Release(int sequence) => _sequences.Remove(sequence);

    public IReadOnlyList<int> Tokens(int sequence) => _sequences[sequence];

    public IReadOnlyList<GeneratedSegment> Generate(IReadOnlyList<int> sequences, GenerationLimits limits) => sequences.Select(id =>
    {
        var tokens = _sequences[id];
        var wanted = Tokenizer.Encode(script(Tokenizer.Decode(tokens))).Append(_endOfTurn).ToList();
        var room = Math.Min(limits.MaxNewTokens, limits.MaxTotalLength - tokens.Count);
        var reason = StopReason.StopToken;
        if (wanted.Count > room)
        {
            reason = limits.MaxNewTokens <= limits.MaxTotalLength - tokens.Count ? StopReason.MaxNewTokens : StopReason.MaxLength;
            wanted = wanted.Take(Math.Max(0, room)).ToList();
        }
        tokens.AddRange(wanted);
        return new GeneratedSegment(id, [.. wanted], new float[wanted.Count], new float[wanted.Count], reason);
    }).ToArray();
}
