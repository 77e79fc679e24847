using System.Globalization;
using System.Net;
using System.Text;

namespace ToolSharp.Training.Benchmarks;

/// <summary>An SVG line chart of validation accuracy against RL training time, one colour per method, one line per seed.</summary>
public static class AblationPlot
{
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"];

    public static string Svg(AblationReport report, int width = 720, int height = 420)
    {
        const int left = 60, right = 190, top = 30, bottom = 50;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        var maxT = Math.Max(1, report.Runs.SelectMany(r => r.Validation).Select(v => v.TrainingSeconds).DefaultIfEmpty(1).Max());
        double X(double t) => left + t / maxT * plotW;
        double Y(double a) => top + (1 - a) * plotH;
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"18\" font-size=\"14\">Validation accuracy vs RL training time — {WebUtility.HtmlEncode(report.Environment)}</text>\n");
        for (var i = 0; i <= 5; i++)
        {
            var a = i / 5.0;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{F(Y(a))}\" y2=\"{F(Y(a))}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 8}\" y=\"{F(Y(a) + 4)}\" text-anchor=\"end\">{a:P0}</text>\n");
            var t = maxT * i / 5;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(t))}\" y=\"{top + plotH + 18}\" text-anchor=\"middle\">{F(t)}</text>\n");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW / 2}\" y=\"{height - 10}\" text-anchor=\"middle\">RL training seconds (validation excluded)</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{F(Y(report.TargetAccuracy))}\" y2=\"{F(Y(report.TargetAccuracy))}\" stroke=\"#000\" stroke-dasharray=\"4 4\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW + 4}\" y=\"{F(Y(report.TargetAccuracy) + 4)}\">target {report.TargetAccuracy:P0}</text>\n");

        for (var m = 0; m < report.Methods.Count; m++)
        {
            var method = report.Methods[m];
            var colour = Colours[m % Colours.Length];
            foreach (var run in report.Runs.Where(r => r.Method == method.Name))
            {
                var points = string.Join(" ", run.Validation.Select(v => $"{F(X(v.TrainingSeconds))},{F(Y(v.Accuracy))}"));
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" stroke-opacity=\"0.75\" points=\"{points}\"><title>{WebUtility.HtmlEncode(method.Name)} seed {run.Seed}</title></polyline>\n");
            }
            var ly = top + 20 + m * 18;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{width - right + 30}\" y=\"{ly - 9}\" width=\"12\" height=\"12\" fill=\"{colour}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width - right + 48}\" y=\"{ly + 1}\">{WebUtility.HtmlEncode(method.Name)}</text>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }
}
