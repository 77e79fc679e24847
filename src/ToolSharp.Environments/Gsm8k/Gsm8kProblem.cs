using System.Text.RegularExpressions;

namespace ToolSharp.Environments.Gsm8k;

/// <summary>One GSM8K problem: the question, the reference solution with its <c>&lt;&lt;48/2=24&gt;&gt;</c> calculator annotations, and the final answer.</summary>
public sealed partial record Gsm8kProblem(string Question, string Solution, string FinalAnswer)
{
    /// <summary>One calculator annotation: the expression and the result the annotator wrote.</summary>
    public sealed record Annotation(string Expression, string Result);

    /// <summary>The annotations in the order they appear.</summary>
    public IReadOnlyList<Annotation> Annotations() =>
        AnnotationPattern().Matches(Solution)
            .Select(m => m.Groups["body"].Value)
            .Where(body => body.Contains('='))
            .Select(body => new Annotation(body[..body.LastIndexOf('=')].Trim(), body[(body.LastIndexOf('=') + 1)..].Trim()))
            .ToList();

    /// <summary>The solution as people read it: annotations removed (<c>48/2 = &lt;&lt;48/2=24&gt;&gt;24</c> → <c>48/2 = 24</c>).</summary>
    public string PlainSolution() => AnnotationPattern().Replace(Solution, "");

    [GeneratedRegex(@"<<(?<body>[^<>]*)>>")]
    private static partial Regex AnnotationPattern();
}
