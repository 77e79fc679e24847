using System.Text.Json;
using System.Text.RegularExpressions;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Bfcl.Python;
using static ToolSharp.Environments.Bfcl.Python.Py;

namespace ToolSharp.Environments.Bfcl;

/// <summary>
/// The Berkeley Function Calling Leaderboard's AST checker for its Python single-turn categories, rule for rule
/// (bfcl_eval/eval_checker/ast_eval/ast_checker.py, with the dispatch of eval_runner.py). Each rule below has a test
/// built from a real BFCL entry in <c>BfclAstCheckerTests</c>.
/// </summary>
/// <remarks>
/// <para><b>Dispatch.</b> A category containing "irrelevance" is correct when the output holds no call. Otherwise a category
/// containing "parallel" (parallel, parallel_multiple) uses the order-independent parallel checker, one containing
/// "multiple" the multiple checker, anything else the simple checker.</para>
/// <para><b>Counts.</b> simple needs exactly one call (<c>simple_function_checker:wrong_count</c>); multiple needs as many
/// calls as ground-truth calls (<c>multiple_function_checker:wrong_count</c>) and checks the first against the first, with
/// the description found by the expected name; parallel needs as many calls as ground-truth calls
/// (<c>parallel_function_checker_no_order:wrong_count</c>).</para>
/// <para><b>Parallel matching.</b> Ground-truth calls are taken in order; each is matched greedily with the first
/// not-yet-matched model call that passes the simple checker. If none does: <c>parallel_function_checker_no_order:cannot_find_match</c>.
/// (Greedy, as in BFCL: no backtracking.)</para>
/// <para><b>One call</b> (simple_function_checker), in this order:
/// the function name must equal the expected name exactly, dots included (<c>wrong_func_name</c>; with
/// <see cref="BfclCheckerOptions.UnderscoreToDot"/> the expected name has its dots replaced by underscores first, as
/// BFCL does for models whose APIs forbid dots); every parameter the function doc marks required must be present
/// (<c>missing_required</c>); every parameter given must be declared in the doc and appear in the ground truth
/// (<c>unexpected_param</c>); then each given value, in the order given, is type- and value-checked; finally every
/// ground-truth parameter not given must list <c>""</c> among its possible answers (<c>missing_optional</c>).</para>
/// <para><b>Types.</b> Doc types map to Python types: string→str, integer→int, float→float, boolean→bool,
/// array→list, tuple→list, dict→dict, any→str. An int given for a float parameter is converted to float. A value whose
/// Python type equals the mapped type passes; so does one whose type equals the type of the first possible answer that
/// is not <c>""</c> (BFCL calls this a "variable": the ground truth holds a different type than the doc). A variable is
/// compared by plain equality, without the string/list/dict rules below. Otherwise <c>type_error:simple</c>. For array
/// and tuple parameters each item is also checked against the doc's <c>items.type</c>, one level deep, against each
/// possible answer that is a list; the check passes if it passes for any (or if a possible answer is not a list);
/// otherwise <c>type_error:nested</c>. bool is not int here (Python <c>type()</c>), although <c>True == 1</c> in equality.</para>
/// <para><b>Values.</b> Strings are compared after standardisation (remove space , . / - _ * ^, lower-case, ' → "):
/// <c>value_error:string</c>. Lists compare element-wise with top-level strings standardised: <c>value_error:list/tuple</c>.
/// Dicts: every key given must be a possible-answer key and its value (standardised if a string) among that key's possible
/// values, and every possible-answer key not given must allow <c>""</c>: <c>value_error:dict_key</c> /
/// <c>value_error:dict_value</c>. Lists of dicts compare dict by dict in order: <c>value_error:list_dict_count</c> or the
/// dict errors. Everything else (ints, floats, bools, variables) must equal a possible answer by Python equality
/// (so 5 matches 5.0): <c>value_error:others</c>.</para>
/// </remarks>
public static partial class BfclAstChecker
{
    private static readonly Dictionary<string, string> PythonTypes = new(StringComparer.Ordinal)
    {
        ["string"] = "str", ["integer"] = "int", ["float"] = "float", ["boolean"] = "bool",
        ["array"] = "list", ["tuple"] = "list", ["dict"] = "dict", ["any"] = "str",
    };

    /// <summary>Checks a model's calls for one BFCL entry.</summary>
    /// <param name="category">The test category (e.g. <c>simple_python</c>, <c>parallel_multiple</c>, <c>irrelevance</c>).</param>
    /// <param name="functions">The entry's <c>function</c> array (BFCL function docs).</param>
    /// <param name="calls">The model's calls; arguments must be JSON objects (else <c>ast_decoder:decoder_wrong_output_format</c>).</param>
    /// <param name="groundTruth">The entry's <c>ground_truth</c> array; ignored (may be undefined) for irrelevance.</param>
    /// <param name="options">Name conversion options.</param>
    /// <exception cref="InputFormatException">The function docs or ground truth do not have BFCL's shape (a dataset problem, not a model one).</exception>
    public static BfclCheckResult Check(string category, JsonElement functions, IReadOnlyList<ToolCall> calls, JsonElement groundTruth, BfclCheckerOptions? options = null)
    {
        options ??= BfclCheckerOptions.Default;
        var wellFormed = calls.All(c => c.Arguments.ValueKind == JsonValueKind.Object);
        if (category.Contains("irrelevance", StringComparison.Ordinal))
        {
            // BFCL: no call, or output that is not in function-call format, counts as "no function call".
            return calls.Count == 0 || !wellFormed
                ? BfclCheckResult.Ok
                : BfclCheckResult.Fail("irrelevance_error:decoder_success", "Valid syntax. Successfully decode AST when it should not.");
        }
        if (!wellFormed)
            return BfclCheckResult.Fail("ast_decoder:decoder_wrong_output_format", "Did not output in the specified format: every call's arguments must be an object.");

        var docs = ReadDocs(functions);
        var answers = ReadGroundTruth(groundTruth);
        var output = calls.Select(c => new ModelCall(c.Name, (PyDict)FromJson(c.Arguments)!)).ToList();

        if (category.Contains("parallel", StringComparison.Ordinal)) return ParallelNoOrder(docs, output, answers, options);
        if (category.Contains("multiple", StringComparison.Ordinal)) return Multiple(docs, output, answers, options);
        if (output.Count != 1) return BfclCheckResult.Fail("simple_function_checker:wrong_count", "Wrong number of functions.");
        if (docs.Count == 0 || answers.Count == 0) throw new InputFormatException("<bfcl>", "function", "at least one function doc and one ground-truth call", "none");
        return Simple(docs[0], output[0], answers[0], options);
    }

    /// <summary>BFCL's <c>standardize_string</c>: drop space , . / - _ * ^, lower-case, and turn ' into ".</summary>
    public static string Standardize(string input) => Punctuation().Replace(input, "").ToLowerInvariant().Replace('\'', '"');

    [GeneratedRegex(@"[ ,./\-_*^]")]
    private static partial Regex Punctuation();

    private sealed record ModelCall(string Name, PyDict Arguments);

    private sealed record Doc(string Name, JsonElement Properties, IReadOnlyList<string> Required);

    private sealed record Answer(string Name, PyDict Parameters);

    private static BfclCheckResult ParallelNoOrder(IReadOnlyList<Doc> docs, List<ModelCall> output, IReadOnlyList<Answer> answers, BfclCheckerOptions options)
    {
        if (output.Count != answers.Count) return BfclCheckResult.Fail("parallel_function_checker_no_order:wrong_count", "Wrong number of functions.");
        var matched = new HashSet<int>();
        for (var i = 0; i < answers.Count; i++)
        {
            var doc = Find(docs, answers[i].Name);
            var errors = new List<string>();
            var found = false;
            for (var index = 0; index < output.Count; index++)
            {
                if (matched.Contains(index)) continue;
                var result = Simple(doc, output[index], answers[i], options);
                if (result.Valid)
                {
                    matched.Add(index);
                    found = true;
                    break;
                }
                errors.Add($"Model Result Index {index}: {result.ErrorType}: {string.Join(" ", result.Errors)}");
            }
            if (!found)
            {
                var considered = Enumerable.Range(0, output.Count).Where(k => !matched.Contains(k));
                errors.Insert(0, $"Could not find a matching function among index [{string.Join(", ", considered)}] of model output for index {i} of possible answers.");
                return new BfclCheckResult(false, "parallel_function_checker_no_order:cannot_find_match", errors);
            }
        }
        return BfclCheckResult.Ok;
    }

    private static BfclCheckResult Multiple(IReadOnlyList<Doc> docs, List<ModelCall> output, IReadOnlyList<Answer> answers, BfclCheckerOptions options)
    {
        if (output.Count != answers.Count) return BfclCheckResult.Fail("multiple_function_checker:wrong_count", "Wrong number of functions.");
        if (answers.Count == 0) return BfclCheckResult.Ok;
        return Simple(Find(docs, answers[0].Name), output[0], answers[0], options);
    }

    private static BfclCheckResult Simple(Doc doc, ModelCall call, Answer answer, BfclCheckerOptions options)
    {
        var expectedName = options.UnderscoreToDot ? doc.Name.Replace('.', '_') : doc.Name;
        if (call.Name != expectedName)
            return BfclCheckResult.Fail("simple_function_checker:wrong_func_name", $"Function name {Repr(expectedName)} not found in model output.");

        var given = call.Arguments;
        foreach (var required in doc.Required)
        {
            if (!given.ContainsKey(required))
                return BfclCheckResult.Fail("simple_function_checker:missing_required", $"Missing required parameter: {Repr(required)}.");
        }

        var possible = answer.Parameters;
        foreach (var (key, raw) in given.Items())
        {
            var param = (string)key!; // JSON arguments: keys are strings
            if (!doc.Properties.TryGetProperty(param, out var details) || !possible.ContainsKey(param))
                return BfclCheckResult.Fail("simple_function_checker:unexpected_param", $"Unexpected parameter: {Repr(param)}.");

            var typeName = DocType(details, doc.Name, param);
            var expected = PythonType(typeName, doc.Name, param);
            string? nested = null;
            if (typeName is "array" or "tuple")
            {
                if (!details.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Object)
                    throw new InputFormatException("<bfcl>", $"{doc.Name}.parameters.properties.{param}.items", "an items schema (BFCL checks array items)", "nothing");
                nested = PythonType(DocType(items, doc.Name, param + ".items"), doc.Name, param + ".items");
            }

            // Python's automatic int → float conversion for float parameters.
            object? value = raw;
            if (typeName == "float" && value is System.Numerics.BigInteger integer) value = (double)integer;

            var typeCheck = TypeCheck(param, value, possible[param], typeName, expected, nested);
            if (!typeCheck.Result.Valid) return typeCheck.Result;

            if (!typeCheck.IsVariable)
            {
                BfclCheckResult? special = expected switch
                {
                    "dict" => DictCheck(param, (PyDict)value!, possible[param]),
                    "list" when nested == "dict" => ListDictCheck(param, (PyList)value!, possible[param]),
                    "str" => StringCheck(param, (string)value!, possible[param]),
                    "list" => ListCheck(param, (PyList)value!, possible[param]),
                    _ => null,
                };
                if (special is not null)
                {
                    if (!special.Valid) return special;
                    continue;
                }
            }

            if (!In(value, possible[param]))
                return BfclCheckResult.Fail("value_error:others", $"Invalid value for parameter {Repr(param)}: {Repr(value)}. Expected one of {Repr(possible[param])}.");
        }

        foreach (var param in possible.Keys)
        {
            if (!given.ContainsKey(param) && !In("", possible[param]))
                return BfclCheckResult.Fail("simple_function_checker:missing_optional", $"Optional parameter {Repr(param)} not provided and not marked as optional.");
        }
        return BfclCheckResult.Ok;
    }

    private sealed record TypeCheckResult(BfclCheckResult Result, bool IsVariable);

    /// <summary>BFCL's <c>type_checker</c>, including its fall-through after a failed nested check.</summary>
    private static TypeCheckResult TypeCheck(string param, object? value, object? possibleAnswers, string typeDescription, string expected, string? nested)
    {
        var answerType = PossibleAnswerType(possibleAnswers);
        var isVariable = answerType is not null && answerType != expected;
        var failure = (BfclCheckResult?)null;

        if (TypeName(value) == expected)
        {
            if (nested is null) return new(BfclCheckResult.Ok, isVariable);
            foreach (var answerItem in Iterate(possibleAnswers))
            {
                var ok = true;
                if (answerItem is PyList)
                {
                    foreach (var item in Iterate(value))
                    {
                        if (!TypeCheck(param, item, answerItem, nested, nested, null).Result.Valid)
                        {
                            ok = false;
                            break;
                        }
                    }
                }
                if (ok) return new(BfclCheckResult.Ok, isVariable);
            }
            failure = BfclCheckResult.Fail("type_error:nested",
                $"Nested type checking failed for parameter {Repr(param)}. Expected outer type {typeDescription} with inner type {nested}. Parameter value: {Repr(value)}.");
        }

        // A value of the ground truth's type is a "variable"; BFCL returns the (possibly failed nested) result as is.
        if (answerType is not null && TypeName(value) == answerType)
            return new(failure ?? BfclCheckResult.Ok, true);

        var message = $"Incorrect type for parameter {Repr(param)}. Expected type {typeDescription}, got {TypeName(value)}. Parameter value: {Repr(value)}.";
        var errors = failure is null ? [message] : failure.Errors.Append(message).ToArray();
        return new(new BfclCheckResult(false, "type_error:simple", errors), isVariable);
    }

    /// <summary>The Python type of the first possible answer that is not <c>""</c>, or null when all are <c>""</c>.</summary>
    private static string? PossibleAnswerType(object? possibleAnswers)
    {
        foreach (var answer in Iterate(possibleAnswers))
        {
            if (answer is not "") return TypeName(answer);
        }
        return null;
    }

    private static BfclCheckResult StringCheck(string param, string value, object? possibleAnswers)
    {
        var standardized = Iterate(possibleAnswers).OfType<string>().Select(Standardize).ToList();
        return standardized.Contains(Standardize(value))
            ? BfclCheckResult.Ok
            : BfclCheckResult.Fail("value_error:string", $"Invalid value for parameter {Repr(param)}: {Repr(value)}. Expected one of {Repr(possibleAnswers)}. Case insensitive.");
    }

    private static BfclCheckResult ListCheck(string param, PyList value, object? possibleAnswers)
    {
        var standardizedValue = StandardizeItems(value.Items);
        foreach (var answer in Iterate(possibleAnswers))
        {
            // BFCL iterates each possible answer with range(len(...)): "" becomes [], a string its characters.
            if (Len(answer) is null) continue;
            if (Equal(standardizedValue, StandardizeItems(Iterate(answer)))) return BfclCheckResult.Ok;
        }
        return BfclCheckResult.Fail("value_error:list/tuple", $"Invalid value for parameter {Repr(param)}: {Repr(value)}. Expected one of {Repr(possibleAnswers)}.");
    }

    private static PyList StandardizeItems(IEnumerable<object?> items) =>
        new(items.Select(i => i is string s ? (object?)Standardize(s) : i).ToList());

    private static BfclCheckResult DictCheck(string param, PyDict value, object? possibleAnswers)
    {
        var result = BfclCheckResult.Fail("dict_checker:unclear");
        foreach (var answer in Iterate(possibleAnswers))
        {
            if (answer is "") continue;
            var errors = new List<string>();
            var errorType = "dict_checker:unclear";
            var ok = true;

            foreach (var (key, item) in value.Items())
            {
                if (!In(key, answer))
                {
                    errors.Add($"Unexpected dict key parameter: '{key}'.");
                    errorType = "value_error:dict_key";
                    ok = false;
                    break;
                }
                var standardizedValue = item is string s ? Standardize(s) : item;
                var allowed = StandardizeItems(Iterate(Lookup(answer, (string)key!)));
                if (!In(standardizedValue, allowed))
                {
                    errors.Add($"Invalid value for parameter {Repr(key)}: {Repr(item)}. Expected one of {Repr(allowed)}.");
                    errorType = "value_error:dict_value";
                    ok = false;
                    break;
                }
            }
            // As in BFCL this second pass runs even after a failure above, and its error type then wins.
            if (answer is PyDict expectedDict)
            {
                foreach (var (key, allowed) in expectedDict.Items())
                {
                    if (!value.ContainsKey(key) && !In("", allowed))
                    {
                        errors.Add($"Missing dict key parameter: '{key}'.");
                        errorType = "value_error:dict_key";
                        ok = false;
                        break;
                    }
                }
            }
            if (ok) return BfclCheckResult.Ok;
            result = new BfclCheckResult(false, errorType, errors);
        }
        return result;
    }

    private static BfclCheckResult ListDictCheck(string param, PyList value, object? possibleAnswers)
    {
        var result = BfclCheckResult.Fail("list_dict_checker:unclear");
        foreach (var answer in Iterate(possibleAnswers))
        {
            if (Len(answer) != value.Items.Count)
            {
                result = BfclCheckResult.Fail("value_error:list_dict_count", "Wrong number of dictionaries in the list.");
                continue;
            }
            var expectedItems = Iterate(answer);
            var ok = true;
            for (var i = 0; i < value.Items.Count; i++)
            {
                result = value.Items[i] is PyDict d
                    ? DictCheck(param, d, new PyList([expectedItems[i]]))
                    : BfclCheckResult.Fail("dict_checker:unclear", $"Item {i} of parameter {Repr(param)} is not a dict.");
                if (!result.Valid)
                {
                    ok = false;
                    break;
                }
            }
            if (ok) return BfclCheckResult.Ok;
        }
        return result;
    }

    private static object? Lookup(object? container, string key) => container is PyDict d && d.ContainsKey(key) ? d[key] : null;

    private static Doc Find(IReadOnlyList<Doc> docs, string name) =>
        docs.FirstOrDefault(d => d.Name == name)
        ?? throw new InputFormatException("<bfcl>", "ground_truth", $"a function named in the entry's docs ({string.Join(", ", docs.Select(d => d.Name))})", $"'{name}'");

    private static IReadOnlyList<Doc> ReadDocs(JsonElement functions)
    {
        if (functions.ValueKind != JsonValueKind.Array)
            throw new InputFormatException("<bfcl>", "function", "an array of function docs", Core.Json.JsonValues.SchemaTypeName(functions));
        var docs = new List<Doc>();
        foreach (var f in functions.EnumerateArray())
        {
            if (f.ValueKind != JsonValueKind.Object || !f.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                throw new InputFormatException("<bfcl>", "function[].name", "a string", "something else");
            var parameters = f.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object ? p : Core.Json.JsonValues.EmptyObject;
            var properties = parameters.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object ? props : Core.Json.JsonValues.EmptyObject;
            var required = parameters.TryGetProperty("required", out var req) && req.ValueKind == JsonValueKind.Array
                ? req.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToList()
                : [];
            docs.Add(new Doc(name.GetString()!, properties, required));
        }
        return docs;
    }

    private static IReadOnlyList<Answer> ReadGroundTruth(JsonElement groundTruth)
    {
        if (groundTruth.ValueKind != JsonValueKind.Array)
            throw new InputFormatException("<bfcl>", "ground_truth", "an array of {function: {parameter: [possible values]}}", Core.Json.JsonValues.SchemaTypeName(groundTruth));
        var answers = new List<Answer>();
        foreach (var entry in groundTruth.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || entry.EnumerateObject().Count() != 1)
                throw new InputFormatException("<bfcl>", "ground_truth[]", "an object with exactly one function name", Core.Json.JsonValues.ToCompact(entry));
            var only = entry.EnumerateObject().First();
            if (FromJson(only.Value) is not PyDict parameters)
                throw new InputFormatException("<bfcl>", $"ground_truth[].{only.Name}", "an object of parameter → possible values", Core.Json.JsonValues.SchemaTypeName(only.Value));
            answers.Add(new Answer(only.Name, parameters));
        }
        return answers;
    }

    private static string DocType(JsonElement schema, string function, string param) =>
        schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()!
            : throw new InputFormatException("<bfcl>", $"{function}.parameters.properties.{param}.type", "a BFCL type name", "nothing");

    private static string PythonType(string docType, string function, string param) =>
        PythonTypes.TryGetValue(docType, out var python)
            ? python
            : throw new InputFormatException("<bfcl>", $"{function}.parameters.properties.{param}.type",
                "one of BFCL's Python types (string, integer, float, boolean, array, tuple, dict, any)", $"'{docType}'");
}
