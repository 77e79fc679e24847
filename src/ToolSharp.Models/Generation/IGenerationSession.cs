namespace ToolSharp.Models.Generation;

/// <summary>Resumable batched generation over sequences with their own state: what multi-turn rollouts drive
/// (<see cref="GenerationSession"/> on a model; scripted stand-ins in tests).</summary>
public interface IGenerationSession
{
    /// <summary>Starts a sequence from prompt token ids with its own sampling seed.</summary>
    int Start(IReadOnlyList<int> prompt, ulong seed);

    /// <summary>Copies a sequence into new ones sharing its state so far, one per seed.</summary>
    int[] Fork(int sequence, IReadOnlyList<ulong> seeds);

    /// <summary>Appends tokens (tool results, the next user turn) to a sequence.</summary>
    void Append(int sequence, IReadOnlyList<int> tokens);

    /// <summary>Forgets a sequence.</summary>
    void Release(int sequence);

    /// <summary>All tokens of a sequence so far.</summary>
    IReadOnlyList<int> Tokens(int sequence);

    /// <summary>Generates from every given sequence until each hits a limit.</summary>
    IReadOnlyList<GeneratedSegment> Generate(IReadOnlyList<int> sequences, GenerationLimits limits);
}
