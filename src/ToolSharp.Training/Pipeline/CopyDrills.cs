using System.Text;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Randomness;
using ToolSharp.Models.Training;
using ToolSharp.Inference.Rendering;

namespace ToolSharp.Training.Pipeline;

/// <summary>Copy drills: a user turn <c>Repeat 4719.</c> answered with <c>4719</c>, rendered in the model's chat format.</summary>
/// <remarks>
/// A tiny model learns to copy a number only after a long plateau when the only examples are whole tool-calling
/// demonstrations: there the digits to copy are a few tokens among 150 or so, attention starts out spread evenly over
/// all of them, and the gradient towards looking at the right ones is correspondingly weak. In a drill of 15 tokens
/// the same lookup is the only thing to learn and its signal is ten times stronger, so the mechanism forms within a
/// few hundred steps and the demonstrations then reuse it (measured in docs/training.md). The drills for a step are
/// a pure function of (seed, step), so a resumed warm-up sees the same batches.
/// </remarks>
public sealed class CopyDrills
{
    private readonly IRolloutRenderer _renderer;
    private readonly ulong _seed;
    private readonly int _budget;

    public CopyDrills(CopyDrillOptions options, IRolloutRenderer renderer, int batchTokens, ulong seed)
    {
        if (options.Fraction is <= 0 or >= 1) throw new ToolSharpException($"warmup.copy_drills.fraction: expected a number between 0 and 1 (exclusive), found {options.Fraction}");
        if (options.MinDigits < 1 || options.MaxDigits < options.MinDigits)
            throw new ToolSharpException($"warmup.copy_drills: expected 1 <= min_digits <= max_digits, found {options.MinDigits} and {options.MaxDigits}");
        Options = options;
        _renderer = renderer;
        _seed = seed;
        _budget = (int)(options.Fraction * batchTokens);
    }

    public CopyDrillOptions Options { get; }

    /// <summary>The drills that open the batch of a 0-based warm-up step (none after <see cref="CopyDrillOptions.Steps"/>).</summary>
    public IReadOnlyList<SftExample> ForStep(long step)
    {
        if (step >= Options.Steps) return [];
        var rng = SeededRandom.For("copy-drills", _seed, step);
        var drills = new List<SftExample>();
        for (var used = 0; ;)
        {
            var drill = _renderer.Demonstration(Conversation(rng));
            if (used + drill.Length > _budget) return drills;
            drills.Add(drill);
            used += drill.Length;
        }
    }

    /// <summary>One drill conversation: a number of <see cref="CopyDrillOptions.MinDigits"/> to
    /// <see cref="CopyDrillOptions.MaxDigits"/> digits (no leading zero) to repeat.</summary>
    public Conversation Conversation(SeededRandom rng)
    {
        var digits = (int)rng.Between(Options.MinDigits, Options.MaxDigits);
        var number = new StringBuilder().Append((char)('1' + rng.Next(9)));
        while (number.Length < digits) number.Append((char)('0' + rng.Next(10)));
        return new Conversation([Message.User($"Repeat {number}."), Message.Assistant(number.ToString())], []);
    }
}
