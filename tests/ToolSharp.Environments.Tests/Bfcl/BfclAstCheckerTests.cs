using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Bfcl;
using ToolSharp.Testing;
using static ToolSharp.Environments.Tests.Bfcl.BfclData;

namespace ToolSharp.Environments.Tests.Bfcl;

/// <summary>One test per rule of BFCL's AST checker, each on a real BFCL v4 entry (see the rules in <see cref="BfclAstChecker"/>).</summary>
/// <remarks>
/// The implementation was also compared with a transcription of BFCL's Python checker on 40,720 mutated answers built
/// from every entry of the five categories (verdict and error type agreed on all); these tests pin the rules one by one.
/// </remarks>
public class BfclAstCheckerTests
{
    private static void Valid(BfclCheckResult r) => r.Valid.ShouldBeTrue(r.ToString());

    private static void Fails(BfclCheckResult r, string errorType)
    {
        r.Valid.ShouldBeFalse();
        r.ErrorType.ShouldBe(errorType, r.ToString());
    }

    // simple_python_0: calculate_triangle_area(base: integer, height: integer, unit: string); required base, height;
    // ground truth base [10], height [5], unit ["units", ""].
    private const string Triangle = "calculate_triangle_area";

    [RequiresDataFact(Folder)]
    public void Simple_needs_exactly_one_call()
    {
        Valid(Check("simple_python_0", (Triangle, """{"base": 10, "height": 5}""")));
        Fails(Check("simple_python_0"), "simple_function_checker:wrong_count");
        Fails(Check("simple_python_0", (Triangle, """{"base": 10, "height": 5}"""), (Triangle, """{"base": 10, "height": 5}""")),
            "simple_function_checker:wrong_count");
    }

    [RequiresDataFact(Folder)]
    public void Function_names_match_exactly_dots_included_unless_underscore_to_dot()
    {
        // simple_python_1: math.factorial(number=5)
        Valid(Check("simple_python_1", ("math.factorial", """{"number": 5}""")));
        Fails(Check("simple_python_1", ("math_factorial", """{"number": 5}""")), "simple_function_checker:wrong_func_name");
        Fails(Check("simple_python_1", ("Math.Factorial", """{"number": 5}""")), "simple_function_checker:wrong_func_name");

        var underscored = new BfclCheckerOptions(UnderscoreToDot: true);
        Valid(BfclScorer.Check(Entry("simple_python_1"), Calls(("math_factorial", """{"number": 5}""")), underscored));
        BfclScorer.Check(Entry("simple_python_1"), Calls(("math.factorial", """{"number": 5}""")), underscored)
            .ErrorType.ShouldBe("simple_function_checker:wrong_func_name");
    }

    [RequiresDataFact(Folder)]
    public void Required_parameters_come_from_the_function_doc()
    {
        Fails(Check("simple_python_0", (Triangle, """{"base": 10}""")), "simple_function_checker:missing_required");
        // simple_python_17: 'formatted' is required by the doc although its ground truth [true, ""] allows omission: the doc wins.
        Fails(Check("simple_python_17", ("get_prime_factors", """{"number": 450}""")), "simple_function_checker:missing_required");
        Valid(Check("simple_python_17", ("get_prime_factors", """{"number": 450, "formatted": true}""")));
    }

    [RequiresDataFact(Folder)]
    public void Parameters_must_be_declared_and_in_the_ground_truth()
    {
        Fails(Check("simple_python_0", (Triangle, """{"base": 10, "height": 5, "color": "red"}""")), "simple_function_checker:unexpected_param");
        // parallel_multiple_12: calculate_magnetic_field declares 'permeability', but the ground truth does not list it.
        var entry = Entry("parallel_multiple_12");
        var reference = BfclGroundTruth.FirstAnswers(entry.GroundTruth, entry.Functions).ToList();
        var i = reference.FindIndex(c => c.Name == "calculate_magnetic_field");
        var args = JsonValues.Parse(reference[i].Arguments.GetRawText().TrimEnd('}') + """, "permeability": 0.1}""");
        reference[i] = reference[i].WithArguments(args);
        var result = BfclScorer.Check(entry, reference);
        Fails(result, "parallel_function_checker_no_order:cannot_find_match");
        string.Join(" ", result.Errors).ShouldContain("simple_function_checker:unexpected_param");
    }

    [RequiresDataFact(Folder)]
    public void Omitted_parameters_must_allow_the_empty_answer()
    {
        Valid(Check("simple_python_0", (Triangle, """{"base": 10, "height": 5}"""))); // unit: ["units", ""]
        // simple_python_5: root_type is optional in the doc, but its ground truth ["all"] has no "": it must be given.
        Fails(Check("simple_python_5", ("solve_quadratic", """{"a": 3, "b": -11, "c": -4}""")), "simple_function_checker:missing_optional");
        Valid(Check("simple_python_5", ("solve_quadratic", """{"a": 3, "b": -11, "c": -4, "root_type": "all"}""")));
    }

    [RequiresDataFact(Folder)]
    public void An_int_is_accepted_for_a_float_but_only_at_the_top_level()
    {
        // simple_python_14: x_value is a float with answers ["", 0.0].
        Valid(Check("simple_python_14", ("calculate_derivative", """{"function": "3x**2 + 2x - 1", "x_value": 0}""")));
        // simple_python_83: coord1 is a tuple of floats; an int item is not converted (nested check).
        Valid(Check("simple_python_83", ("calculate_distance", """{"coord1": [33.4484, -112.074], "coord2": [34.0522, -118.2437], "unit": "miles"}""")));
        Fails(Check("simple_python_83", ("calculate_distance", """{"coord1": [33.4484, -112], "coord2": [34.0522, -118.2437], "unit": "miles"}""")),
            "type_error:nested");
    }

    [RequiresDataFact(Folder)]
    public void Types_follow_python_type_so_float_and_bool_are_not_int()
    {
        Fails(Check("simple_python_0", (Triangle, """{"base": 10.0, "height": 5}""")), "type_error:simple");
        Fails(Check("simple_python_0", (Triangle, """{"base": true, "height": 5}""")), "type_error:simple");
        Fails(Check("simple_python_0", (Triangle, """{"base": "10", "height": 5}""")), "type_error:simple");
        Fails(Check("simple_python_17", ("get_prime_factors", """{"number": 450, "formatted": 1}""")), "type_error:simple");
        // 'any' is checked as a Python str (simple_python_109: data ["my_data"]).
        Valid(Check("simple_python_109", ("random_forest.train", """{"n_estimators": 100, "max_depth": 5, "data": "My Data"}""")));
        Fails(Check("simple_python_109", ("random_forest.train", """{"n_estimators": 100, "max_depth": 5, "data": 7}""")), "type_error:simple");
    }

    [RequiresDataFact(Folder)]
    public void Strings_compare_after_standardisation()
    {
        // simple_python_7: unit ["inches", "in"]. Case and the characters " ,./-_*^" do not matter.
        Valid(Check("simple_python_7", ("calculate_circumference", """{"radius": 4, "unit": "IN."}""")));
        Fails(Check("simple_python_7", ("calculate_circumference", """{"radius": 4, "unit": "inch"}""")), "value_error:string");
        // simple_python_307: date ["2021-01-28", "01/28/2021", "Jan.28,2021"]: "Jan 28, 2021" standardises to "jan282021" too.
        Valid(Check("simple_python_307", ("game_result.get_winner", """{"teams": ["Lakers", "Clippers"], "date": "Jan 28, 2021"}""")));
        Valid(Check("simple_python_307", ("game_result.get_winner", """{"teams": ["Lakers", "Clippers"], "date": "20210128"}""")));
        Fails(Check("simple_python_307", ("game_result.get_winner", """{"teams": ["Lakers", "Clippers"], "date": "2021-01-29"}""")), "value_error:string");
        BfclAstChecker.Standardize("Jan. 28, 2021's-end_*^/").ShouldBe("jan282021\"send");
    }

    [RequiresDataFact(Folder)]
    public void Lists_compare_in_order_with_standardised_strings_and_typed_items()
    {
        // simple_python_37: stops [["Santa Barbara", "Monterey"], ["Monterey", "Santa Barbara"]].
        const string Route = "route.estimate_time";
        Valid(Check("simple_python_37", (Route, """{"start_location": "San Francisco", "end_location": "Los Angeles", "stops": ["monterey", "SANTA-BARBARA"]}""")));
        Fails(Check("simple_python_37", (Route, """{"start_location": "San Francisco", "end_location": "Los Angeles", "stops": ["Santa Barbara"]}""")), "value_error:list/tuple");
        Fails(Check("simple_python_37", (Route, """{"start_location": "San Francisco", "end_location": "Los Angeles", "stops": [1, 2]}""")), "type_error:nested");
        Fails(Check("simple_python_37", (Route, """{"start_location": "San Francisco", "end_location": "Los Angeles", "stops": "Monterey"}""")), "type_error:simple");
    }

    [RequiresDataFact(Folder)]
    public void Dicts_compare_key_by_key()
    {
        // simple_python_89: conditions [{"department": ["Science"], "school": ["Bluebird High School", "Bluebird HS"]}].
        static BfclCheckResult Conditions(string conditions) => Check("simple_python_89",
            ("db_fetch_records", $$"""{"database_name": "StudentDB", "table_name": "students", "conditions": {{conditions}}}"""));
        Valid(Conditions("""{"department": "science", "school": "Bluebird HS"}"""));
        Fails(Conditions("""{"department": "Math", "school": "Bluebird HS"}"""), "value_error:dict_value");
        Fails(Conditions("""{"department": "Science", "school": "Bluebird HS", "grade": 10}"""), "value_error:dict_key");
        Fails(Conditions("""{"department": "Science"}"""), "value_error:dict_key");
    }

    [RequiresDataFact(Folder)]
    public void A_ground_truth_of_another_type_than_the_doc_is_a_variable_compared_by_equality()
    {
        // simple_python_307: venue is a string in the doc but its ground truth is ["", true]; BFCL then accepts true only.
        const string Game = "game_result.get_winner";
        Valid(Check("simple_python_307", (Game, """{"teams": ["Lakers", "Clippers"], "date": "2021-01-28", "venue": true}""")));
        Fails(Check("simple_python_307", (Game, """{"teams": ["Lakers", "Clippers"], "date": "2021-01-28", "venue": "home"}""")), "value_error:others");
    }

    [RequiresDataFact(Folder)]
    public void Other_values_use_python_equality()
    {
        Fails(Check("simple_python_0", (Triangle, """{"base": 11, "height": 5}""")), "value_error:others");
        // parallel_152: mod ["", null] accepts an explicit null.
        var entry = Entry("parallel_152");
        Valid(BfclScorer.Check(entry, Calls(("math.power", """{"base": 2, "exponent": 3, "mod": null}"""), ("math.power", """{"base": 3, "exponent": 5}"""))));
    }

    [RequiresDataFact(Folder)]
    public void Parallel_calls_match_in_any_order()
    {
        // parallel_0: spotify.play(artist="Taylor Swift", duration=20) and spotify.play(artist="Maroon 5", duration=15).
        var swift = ("spotify.play", """{"artist": "Taylor Swift", "duration": 20}""");
        var maroon = ("spotify.play", """{"artist": "Maroon 5", "duration": 15}""");
        Valid(Check("parallel_0", swift, maroon));
        Valid(Check("parallel_0", maroon, swift));
        Fails(Check("parallel_0", swift, ("spotify.play", """{"artist": "Maroon 5", "duration": 16}""")), "parallel_function_checker_no_order:cannot_find_match");
        Fails(Check("parallel_0", swift), "parallel_function_checker_no_order:wrong_count");
        Fails(Check("parallel_0", swift, swift), "parallel_function_checker_no_order:cannot_find_match");
    }

    [RequiresDataFact(Folder)]
    public void Multiple_checks_the_one_expected_function_among_several()
    {
        // multiple_0 offers triangle_properties.get and circle_properties.get; the answer is the triangle.
        var triangle = ("triangle_properties.get", """{"side1": 5, "side2": 4, "side3": 3}""");
        Valid(Check("multiple_0", triangle));
        Fails(Check("multiple_0", ("circle_properties.get", """{"radius": 3}""")), "simple_function_checker:wrong_func_name");
        Fails(Check("multiple_0", triangle, triangle), "multiple_function_checker:wrong_count");
    }

    [RequiresDataFact(Folder)]
    public void Irrelevance_is_correct_when_no_call_is_made()
    {
        Valid(Check("irrelevance_0"));
        Fails(Check("irrelevance_0", ("determine_body_mass_index", """{"weight": 70, "height": 1.8}""")), "irrelevance_error:decoder_success");
        // Output that is not in function-call format counts as "no call", as in BFCL.
        Valid(BfclScorer.Check(Entry("irrelevance_0"), [new ToolCall("determine_body_mass_index", JsonValues.String("oops"))]));
    }

    [RequiresDataFact(Folder)]
    public void Arguments_that_are_not_an_object_are_the_wrong_output_format()
    {
        Fails(BfclScorer.Check(Entry("simple_python_0"), [new ToolCall(Triangle, JsonValues.Parse("[10, 5]"))]), "ast_decoder:decoder_wrong_output_format");
    }
}
