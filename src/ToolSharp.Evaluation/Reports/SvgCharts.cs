using System.Globalization;
using System.Net;
using System.Text;

namespace ToolSharp.Evaluation.Reports;

/// <summary>Small inline-SVG charts for the HTML report: no scripts, no fonts or libraries from the network.</summary>
/// <remarks>Every chart is an <c>&lt;svg class="chart" data-chart="NAME"&gt;</c> whose marks carry classes
/// (<c>bar</c>, <c>ci</c>, <c>point</c>, <c>cell</c>, <c>front</c>, <c>line</c>) so a test can check that they were drawn.</remarks>
public static class SvgCharts
{
    private static readonly string[] Palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    public static string Color(int i) => Palette[i % Palette.Length];

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>Horizontal bars in [0, 1] with CI whiskers; <paramref name="colorOf"/> picks each bar's palette index (default: its row).</summary>
    public static string BarsWithCi(string name, IReadOnlyList<(string Label, double Value, double Low, double High)> items, Func<int, int>? colorOf = null)
    {
        const int left = 220, width = 420, row = 26;
        var height = items.Count * row + 40;
        var sb = Open(name, left + width + 60, height);
        Axis01(sb, left, width, items.Count * row + 10);
        for (var i = 0; i < items.Count; i++)
        {
            var (label, v, lo, hi) = items[i];
            var y = 10 + i * row;
            sb.Append($"<text x=\"{left - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{E(label)}</text>");
            sb.Append($"<rect class=\"bar\" x=\"{left}\" y=\"{y + 3}\" width=\"{F(Clamp(v) * width)}\" height=\"{row - 8}\" fill=\"{Color(colorOf?.Invoke(i) ?? i)}\"><title>{E(label)}: {F(v)} [{F(lo)}, {F(hi)}]</title></rect>");
            if (double.IsFinite(lo) && double.IsFinite(hi))
                sb.Append($"<line class=\"ci\" x1=\"{F(left + Clamp(lo) * width)}\" x2=\"{F(left + Clamp(hi) * width)}\" y1=\"{y + row / 2 - 1}\" y2=\"{y + row / 2 - 1}\" stroke=\"#222\" stroke-width=\"2\"/>");
            sb.Append($"<text x=\"{left + width + 6}\" y=\"{y + 15}\">{F(v)}</text>");
        }
        return sb.Append("</svg>").ToString();
    }

    /// <summary>Mean score per level of one factor, one line per model.</summary>
    public static string Effect(string name, IReadOnlyList<string> levels, IReadOnlyDictionary<string, IReadOnlyList<double>> series)
    {
        const int left = 50, top = 20, width = 360, height = 180;
        var sb = Open(name, left + width + 150, top + height + 50);
        for (var t = 0; t <= 4; t++)
        {
            var y = top + height - t * height / 4.0;
            sb.Append($"<line x1=\"{left}\" x2=\"{left + width}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"#eee\"/><text x=\"{left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{F(t / 4.0)}</text>");
        }
        double X(int i) => levels.Count == 1 ? left + width / 2.0 : left + 20 + i * (width - 40.0) / (levels.Count - 1);
        for (var i = 0; i < levels.Count; i++)
            sb.Append($"<text x=\"{F(X(i))}\" y=\"{top + height + 18}\" text-anchor=\"middle\">{E(levels[i])}</text>");
        var s = 0;
        foreach (var (model, values) in series)
        {
            var pts = values.Select((v, i) => (X: X(i), Y: top + height - Clamp(v) * height, V: v)).Where(p => double.IsFinite(p.V)).ToList();
            if (pts.Count > 1)
                sb.Append($"<polyline class=\"line\" fill=\"none\" stroke=\"{Color(s)}\" stroke-width=\"2\" points=\"{string.Join(" ", pts.Select(p => F(p.X) + "," + F(p.Y)))}\"/>");
            foreach (var p in pts) sb.Append($"<circle class=\"point\" cx=\"{F(p.X)}\" cy=\"{F(p.Y)}\" r=\"4\" fill=\"{Color(s)}\"><title>{E(model)}: {F(p.V)}</title></circle>");
            sb.Append($"<rect x=\"{left + width + 15}\" y=\"{top + s * 18}\" width=\"10\" height=\"10\" fill=\"{Color(s)}\"/><text x=\"{left + width + 30}\" y=\"{top + s * 18 + 9}\">{E(model)}</text>");
            s++;
        }
        return sb.Append("</svg>").ToString();
    }

    /// <summary>Two bars per factor: the main effect share and the share of its interaction with the model.</summary>
    public static string VarianceBars(string name, IReadOnlyList<(string Factor, double Main, double Interaction)> shares)
    {
        const int left = 120, width = 420, row = 34;
        var sb = Open(name, left + width + 80, shares.Count * row + 60);
        Axis01(sb, left, width, shares.Count * row + 10);
        for (var i = 0; i < shares.Count; i++)
        {
            var (factor, main, inter) = shares[i];
            var y = 10 + i * row;
            sb.Append($"<text x=\"{left - 6}\" y=\"{y + 17}\" text-anchor=\"end\">{E(factor)}</text>");
            sb.Append($"<rect class=\"bar\" x=\"{left}\" y=\"{y + 2}\" width=\"{F(Clamp(main) * width)}\" height=\"13\" fill=\"{Color(0)}\"><title>{E(factor)} main effect: {F(main)}</title></rect>");
            if (double.IsFinite(inter))
                sb.Append($"<rect class=\"bar\" x=\"{left}\" y=\"{y + 16}\" width=\"{F(Clamp(inter) * width)}\" height=\"13\" fill=\"{Color(1)}\"><title>{E(factor)} × model: {F(inter)}</title></rect>");
            sb.Append($"<text x=\"{left + width + 6}\" y=\"{y + 17}\">{F(main)}</text>");
        }
        var ly = shares.Count * row + 40;
        sb.Append($"<rect x=\"{left}\" y=\"{ly}\" width=\"10\" height=\"10\" fill=\"{Color(0)}\"/><text x=\"{left + 14}\" y=\"{ly + 9}\">main effect (η²)</text>");
        sb.Append($"<rect x=\"{left + 150}\" y=\"{ly}\" width=\"10\" height=\"10\" fill=\"{Color(1)}\"/><text x=\"{left + 164}\" y=\"{ly + 9}\">interaction with model</text>");
        return sb.Append("</svg>").ToString();
    }

    /// <summary>A models × models matrix of probabilities in [0, 1], white (0) to red (1).</summary>
    public static string Heatmap(string name, IReadOnlyList<string> labels, Func<int, int, double> value)
    {
        const int left = 130, top = 20, cell = 44;
        var n = labels.Count;
        var sb = Open(name, left + n * cell + 20, top + n * cell + 90);
        for (var i = 0; i < n; i++)
        {
            sb.Append($"<text x=\"{left - 6}\" y=\"{top + i * cell + cell / 2 + 4}\" text-anchor=\"end\">{E(labels[i])}</text>");
            // Column labels slanted: model names are wider than a cell and would run into each other.
            var (lx, ly) = (left + i * cell + cell / 2, top + n * cell + 10);
            sb.Append($"<text x=\"{lx}\" y=\"{ly}\" text-anchor=\"end\" transform=\"rotate(-40 {lx} {ly})\">{E(labels[i])}</text>");
            for (var j = 0; j < n; j++)
            {
                var v = i == j ? double.NaN : value(i, j);
                var fill = double.IsFinite(v) ? Heat(v) : "#f4f4f4";
                sb.Append($"<rect class=\"cell\" x=\"{left + j * cell}\" y=\"{top + i * cell}\" width=\"{cell - 2}\" height=\"{cell - 2}\" fill=\"{fill}\"><title>{E(labels[i])} vs {E(labels[j])}: {(double.IsFinite(v) ? F(v) : "–")}</title></rect>");
                if (double.IsFinite(v)) sb.Append($"<text x=\"{left + j * cell + cell / 2 - 1}\" y=\"{top + i * cell + cell / 2 + 3}\" text-anchor=\"middle\">{F(v)}</text>");
            }
        }
        return sb.Append("</svg>").ToString();
    }

    /// <summary>Cost (x, e.g. PTE) against accuracy (y), one point per model × configuration, with the Pareto front (cheaper and at least as accurate).</summary>
    public static string ParetoScatter(string name, IReadOnlyList<(string Label, string Series, double X, double Y)> points, string xLabel)
    {
        const int left = 60, top = 20, width = 440, height = 240;
        var series = points.Select(p => p.Series).Distinct().ToList();
        var sb = Open(name, left + width + 160, top + height + 60);
        var finite = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var maxX = finite.Count == 0 ? 1 : Math.Max(1e-9, finite.Max(p => p.X)) * 1.05;
        double Px(double x) => left + x / maxX * width;
        double Py(double y) => top + height - Clamp(y) * height;
        sb.Append($"<line x1=\"{left}\" x2=\"{left + width}\" y1=\"{top + height}\" y2=\"{top + height}\" stroke=\"#888\"/><line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{top + height}\" stroke=\"#888\"/>");
        for (var t = 0; t <= 4; t++)
        {
            sb.Append($"<text x=\"{left - 6}\" y=\"{F(Py(t / 4.0) + 4)}\" text-anchor=\"end\">{F(t / 4.0)}</text>");
            sb.Append($"<text x=\"{F(Px(maxX * t / 4))}\" y=\"{top + height + 16}\" text-anchor=\"middle\">{F(maxX * t / 4)}</text>");
        }
        sb.Append($"<text x=\"{left + width / 2}\" y=\"{top + height + 34}\" text-anchor=\"middle\">{E(xLabel)}</text>");
        var front = ParetoFront(finite.Select(p => (p.X, p.Y)).ToList());
        if (front.Count > 0)
            sb.Append($"<polyline class=\"front\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\" points=\"{string.Join(" ", front.Select(p => F(Px(p.X)) + "," + F(Py(p.Y))))}\"/>");
        foreach (var p in finite)
        {
            var s = series.IndexOf(p.Series);
            sb.Append($"<circle class=\"point\" cx=\"{F(Px(p.X))}\" cy=\"{F(Py(p.Y))}\" r=\"4\" fill=\"{Color(s)}\" fill-opacity=\"0.8\"><title>{E(p.Label)}: {F(p.X)}, {F(p.Y)}</title></circle>");
        }
        for (var s = 0; s < series.Count; s++)
            sb.Append($"<rect x=\"{left + width + 15}\" y=\"{top + s * 18}\" width=\"10\" height=\"10\" fill=\"{Color(s)}\"/><text x=\"{left + width + 30}\" y=\"{top + s * 18 + 9}\">{E(series[s])}</text>");
        return sb.Append("</svg>").ToString();
    }

    /// <summary>Lines over a numeric x axis (e.g. seconds or steps) with a linear y axis from <paramref name="yMin"/> to
    /// <paramref name="yMax"/> (default: the data's range), an optional dashed reference line, and a legend.</summary>
    public static string Lines(string name, string title, string xLabel, IReadOnlyList<LineSeries> series, double? yMin = null, double? yMax = null,
        (double Y, string Label)? reference = null, bool percent = false)
    {
        const int left = 60, right = 190, top = 30, plotW = 470, plotH = 240;
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var x0 = points.Count == 0 ? 0 : Math.Min(0, points.Min(p => p.X));
        var x1 = points.Count == 0 ? 1 : points.Max(p => p.X);
        if (x1 <= x0) x1 = x0 + 1;
        var y0 = yMin ?? (points.Count == 0 ? 0 : points.Min(p => p.Y));
        var y1 = yMax ?? (points.Count == 0 ? 1 : points.Max(p => p.Y));
        if (reference is { } r) { y0 = Math.Min(y0, r.Y); y1 = Math.Max(y1, r.Y); }
        if (y1 <= y0) y1 = y0 + 1;
        double X(double v) => left + (v - x0) / (x1 - x0) * plotW;
        double Y(double v) => top + (1 - (Math.Clamp(v, y0, y1) - y0) / (y1 - y0)) * plotH;
        // Three significant digits so that ticks of a narrow range (entropies of 0.06–0.08) stay distinct.
        string Tick(double v) => percent ? v.ToString("P0", CultureInfo.InvariantCulture) : v.ToString("G3", CultureInfo.InvariantCulture);

        var sb = Open(name, left + plotW + right, top + plotH + 45);
        sb.Append($"<text x=\"{left}\" y=\"16\" font-size=\"13\">{E(title)}</text>");
        for (var t = 0; t <= 5; t++)
        {
            var yv = y0 + (y1 - y0) * t / 5;
            sb.Append($"<line x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{F(Y(yv))}\" y2=\"{F(Y(yv))}\" stroke=\"#eee\"/><text x=\"{left - 6}\" y=\"{F(Y(yv) + 4)}\" text-anchor=\"end\">{Tick(yv)}</text>");
            var xv = x0 + (x1 - x0) * t / 5;
            sb.Append($"<text x=\"{F(X(xv))}\" y=\"{top + plotH + 16}\" text-anchor=\"middle\">{F(xv)}</text>");
        }
        sb.Append($"<text x=\"{left + plotW / 2}\" y=\"{top + plotH + 36}\" text-anchor=\"middle\">{E(xLabel)}</text>");
        if (reference is { } line)
            sb.Append($"<line class=\"reference\" x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{F(Y(line.Y))}\" y2=\"{F(Y(line.Y))}\" stroke=\"#000\" stroke-dasharray=\"4 4\"/><text x=\"{left + plotW + 4}\" y=\"{F(Y(line.Y) + 4)}\">{E(line.Label)}</text>");
        var legend = 0;
        foreach (var s in series)
        {
            var pts = s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
            if (pts.Count > 1)
                sb.Append($"<polyline class=\"line\" fill=\"none\" stroke=\"{Color(s.Color)}\" stroke-width=\"2\" stroke-opacity=\"0.8\" points=\"{string.Join(" ", pts.Select(p => F(X(p.X)) + "," + F(Y(p.Y))))}\"><title>{E(s.Label)}</title></polyline>");
            else if (pts.Count == 1)
                sb.Append($"<circle class=\"point\" cx=\"{F(X(pts[0].X))}\" cy=\"{F(Y(pts[0].Y))}\" r=\"3\" fill=\"{Color(s.Color)}\"><title>{E(s.Label)}</title></circle>");
            if (!s.InLegend) continue;
            var ly = top + 20 + legend++ * 18;
            sb.Append($"<rect x=\"{left + plotW + 30}\" y=\"{ly - 9}\" width=\"12\" height=\"12\" fill=\"{Color(s.Color)}\"/><text x=\"{left + plotW + 48}\" y=\"{ly + 1}\">{E(s.Label)}</text>");
        }
        return sb.Append("</svg>").ToString();
    }

    /// <summary>Points not dominated by a cheaper-or-equal point with higher-or-equal accuracy, sorted by cost.</summary>
    public static IReadOnlyList<(double X, double Y)> ParetoFront(IReadOnlyList<(double X, double Y)> points)
    {
        var front = new List<(double X, double Y)>();
        var best = double.NegativeInfinity;
        foreach (var p in points.OrderBy(p => p.X).ThenByDescending(p => p.Y))
        {
            if (p.Y <= best) continue;
            front.Add(p);
            best = p.Y;
        }
        return front;
    }

    private static StringBuilder Open(string name, int width, int height) =>
        new StringBuilder().Append($"<svg class=\"chart\" data-chart=\"{E(name)}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">");

    private static void Axis01(StringBuilder sb, int left, int width, int bottom)
    {
        for (var t = 0; t <= 4; t++)
        {
            var x = left + t * width / 4.0;
            sb.Append($"<line x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"5\" y2=\"{bottom}\" stroke=\"#eee\"/><text x=\"{F(x)}\" y=\"{bottom + 14}\" text-anchor=\"middle\">{F(t / 4.0)}</text>");
        }
    }

    private static double Clamp(double v) => double.IsFinite(v) ? Math.Clamp(v, 0, 1) : 0;

    private static string Heat(double v)
    {
        var t = Clamp(v);
        var g = (int)(255 - t * 200);
        return $"rgb(255,{g},{g})";
    }
}
