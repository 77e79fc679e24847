using ToolSharp.Core.Schema;
using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Tools;

/// <summary>Runs an episode's tool calls under its limits and records every outcome; a failure is data for the model, never a crash.</summary>
/// <remarks>
/// Order of checks for one call: budget, known tool, argument schema, then the invocation under the timeout; the output
/// is then truncated to <see cref="ToolExecutionOptions.MaxOutputChars"/>. Every call, failed or not, lands in
/// <see cref="Log"/> and counts against the budget. Only cancellation of the caller's token propagates (the run is
/// stopping); a tool that exceeds its timeout becomes a <see cref="ToolCallErrorKind.Timeout"/> result.
/// One executor serves one episode; its calls are meant to run one after another, in the order the model made them.
/// </remarks>
public sealed class ToolExecutor
{
    private readonly Lock _gate = new();
    private int _callsMade;

    public ToolExecutor(ToolRegistry tools, ToolExecutionOptions? options = null)
    {
        Tools = tools ?? throw new ArgumentNullException(nameof(tools));
        Options = options ?? ToolExecutionOptions.Default;
    }

    public ToolRegistry Tools { get; }

    public ToolExecutionOptions Options { get; }

    /// <summary>Every call so far with its outcome.</summary>
    public ToolCallLog Log { get; } = new();

    /// <summary>Calls made so far, failures included.</summary>
    public int CallsMade
    {
        get { lock (_gate) return _callsMade; }
    }

    /// <summary>Calls left in the budget, or null when unlimited.</summary>
    public int? RemainingCalls
    {
        get { lock (_gate) return Options.MaxCalls is { } max ? Math.Max(0, max - _callsMade) : null; }
    }

    /// <summary>Executes one call and returns the result the model sees.</summary>
    public async Task<ToolResult> ExecuteAsync(ToolCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        cancellationToken.ThrowIfCancellationRequested();

        if (!TryConsumeBudget())
        {
            return Fail(call, new ToolCallError(ToolCallErrorKind.BudgetExceeded,
                $"tool-call budget exhausted ({Options.MaxCalls} calls per episode); answer with what you have"));
        }
        if (!Tools.TryGet(call.Name, out var tool))
        {
            var known = Tools.Count == 0 ? "no tools are available" : "available: " + string.Join(", ", Tools.Select(t => t.Spec.Name));
            return Fail(call, new ToolCallError(ToolCallErrorKind.UnknownFunction, $"unknown tool '{call.Name}' ({known})"));
        }
        if (Options.ValidateArguments)
        {
            var errors = ArgumentValidator.Validate(tool.Spec, call.Arguments, Options.Validation);
            if (errors.Count > 0)
            {
                var message = string.Join("; ", errors.Select(e => e.Message));
                return Fail(call, errors[0] with { Message = message });
            }
        }

        var started = Options.Clock.GetTimestamp();
        TimeSpan Elapsed() => Options.Clock.GetElapsedTime(started);
        string output;
        try
        {
            output = await InvokeWithTimeoutAsync(tool, call, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException)
        {
            return Fail(call, new ToolCallError(ToolCallErrorKind.Timeout,
                $"tool '{call.Name}' did not finish within {Options.Timeout.TotalSeconds:0.###} s"), Elapsed());
        }
        catch (ToolInvocationException ex)
        {
            return Fail(call, new ToolCallError(ToolCallErrorKind.ExecutionFailed, ex.Message), Elapsed());
        }
        catch (Exception ex)
        {
            // A bug or an unexpected failure inside the tool: the model still gets an answer it can read.
            return Fail(call, new ToolCallError(ToolCallErrorKind.ExecutionFailed, $"tool '{call.Name}' failed: {ex.GetType().Name}: {ex.Message}"), Elapsed());
        }

        var content = ToolOutput.Truncate(output ?? "", Options.MaxOutputChars, out var truncated);
        var result = ToolResult.Success(call, content);
        Log.Add(new ToolCallRecord(call, result, Elapsed(), output?.Length ?? 0, truncated));
        return result;
    }

    /// <summary>Executes calls in order (later calls may depend on state earlier ones changed).</summary>
    public async Task<IReadOnlyList<ToolResult>> ExecuteAllAsync(IEnumerable<ToolCall> calls, CancellationToken cancellationToken = default)
    {
        var results = new List<ToolResult>();
        foreach (var call in calls) results.Add(await ExecuteAsync(call, cancellationToken).ConfigureAwait(false));
        return results;
    }

    /// <summary>Records a call that something other than this executor ran (an environment's own step rules) with its
    /// result; it counts against the budget like any other call.</summary>
    public void Record(ToolCall call, ToolResult result, TimeSpan duration = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate) _callsMade++;
        Log.Add(new ToolCallRecord(call, result, duration, result.Content.Length, false));
    }

    /// <summary>Records a call that failed before it could run (for example a malformed call the parser reported) and returns the
    /// error result for the model. It counts against the budget like any other call.</summary>
    public ToolResult RecordFailure(ToolCall call, ToolCallError error)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(error);
        lock (_gate) _callsMade++;
        return Fail(call, error);
    }

    private bool TryConsumeBudget()
    {
        lock (_gate)
        {
            var allowed = Options.MaxCalls is not { } max || _callsMade < max;
            _callsMade++;
            return allowed;
        }
    }

    private async Task<string> InvokeWithTimeoutAsync(ITool tool, ToolCall call, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Options.Timeout, Options.Clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        // Task.Run so that a tool that blocks before its first await cannot hold the caller past the timeout, and
        // WaitAsync on the token so that one that ignores the token cannot either.
        var work = Task.Run(() => tool.InvokeAsync(call.Arguments, linked.Token).AsTask(), CancellationToken.None);
        try
        {
            return await work.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            // The time limit, whether the tool gave up on the token or was abandoned: a timeout, not a cancellation of the run.
            throw new TimeoutException();
        }
    }

    private ToolResult Fail(ToolCall call, ToolCallError error, TimeSpan duration = default)
    {
        var failure = ToolResult.Failure(call, error);
        var result = failure with { Content = ToolOutput.Truncate(failure.Content, Options.MaxOutputChars, out _) };
        Log.Add(new ToolCallRecord(call, result, duration));
        return result;
    }
}
