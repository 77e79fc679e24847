using System.Globalization;
using System.Text;

namespace ToolSharp.Text.Templates.Jinja;

/// <summary>C/Python <c>strftime</c> directives for <c>strftime_now</c> (Llama 3 templates print today's date).</summary>
internal static class Strftime
{
    public static string Format(DateTime t, string format)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length) { sb.Append(format[i]); continue; }
            var c = format[++i];
            sb.Append(c switch
            {
                'd' => t.Day.ToString("00", inv),
                '-' when i + 1 < format.Length && format[i + 1] == 'd' => (++i > 0 ? t.Day.ToString(inv) : ""),
                'm' => t.Month.ToString("00", inv),
                'Y' => t.Year.ToString("0000", inv),
                'y' => (t.Year % 100).ToString("00", inv),
                'H' => t.Hour.ToString("00", inv),
                'I' => ((t.Hour + 11) % 12 + 1).ToString("00", inv),
                'M' => t.Minute.ToString("00", inv),
                'S' => t.Second.ToString("00", inv),
                'p' => t.Hour < 12 ? "AM" : "PM",
                'b' => t.ToString("MMM", inv),
                'B' => t.ToString("MMMM", inv),
                'a' => t.ToString("ddd", inv),
                'A' => t.ToString("dddd", inv),
                'j' => t.DayOfYear.ToString("000", inv),
                '%' => "%",
                _ => "%" + c,
            });
        }
        return sb.ToString();
    }
}
