using ToolSharp.Core.Randomness;
using ToolSharp.Environments.Bfcl.Python;
using ToolSharp.Environments.Tests.Bfcl.MultiTurn;
using ToolSharp.Testing;

namespace ToolSharp.Environments.Tests.Bfcl.Python;

/// <summary>Python's float repr, json.dumps, '.2f' formatting and round() on seeded random doubles of every magnitude,
/// compared with CPython itself.</summary>
public class PyFloatOracleTests
{
    [RequiresBfclPythonFact]
    public void Float_formatting_and_rounding_equal_cpython_on_random_doubles()
    {
        var random = new SeededRandom(1367);
        var values = new List<double> { 0.125, 2.675, 1e16, 1e15, 9999999999999998.0, 1e-4, 9.999999999999999e-5, 5e-324, -0.0, 1e308, 0.5, 1.5, 2.5, 1e22, 123456789.125 };
        for (var i = 0; i < 3000; i++)
        {
            values.Add(i % 3 switch
            {
                0 => BitConverter.Int64BitsToDouble((long)random.NextUInt64()),
                1 => Math.Round((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(12)), random.Next(5)),
                _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(40) - 20),
            });
        }
        values.RemoveAll(double.IsNaN);
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "floats.txt");
        File.WriteAllLines(file, values.Select(v => BitConverter.DoubleToInt64Bits(v).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var (_, lines) = BfclPython.Run("floats", "--cases", file);
        lines.Count.ShouldBe(values.Count);
        var mismatches = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            var x = values[i];
            var line = lines[i];
            void Same(string what, string expected, Func<string> actual)
            {
                string got;
                try { got = actual(); }
                catch (PyException e) { got = $"{e.Type}: {e.Message}"; }
                if (got != expected) mismatches.Add($"{what}({x:R}): python {expected}, csharp {got}");
            }
            Same("repr", line.GetProperty("repr").GetString()!, () => PyFloat.Repr(x));
            Same("json", line.GetProperty("json").GetString()!, () => PyJson.Dumps(x));
            Same("fixed", line.GetProperty("fixed").GetString()!, () => PyFloat.Fixed(x, 2));
            Same("round2", line.GetProperty("round2").GetString()!, () => PyFloat.Repr(PyFloat.Round(x, 2)));
            Same("round-1", line.GetProperty("round-1").GetString()!, () => PyFloat.Repr(PyFloat.Round(x, -1)));
        }
        mismatches.Take(20).ShouldBeEmpty($"{mismatches.Count} mismatches over {values.Count} doubles");
    }
}
