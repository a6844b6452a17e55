using System.Globalization;
using System.Net;
using System.Text;

namespace Skyport.Features.Billing.Reports;

/// <summary>
/// A server-rendered SVG bar chart of report totals. Every bar carries its figure as text, so the chart reads
/// without colour, and the whole chart has a text alternative.
/// </summary>
public static class BarChart
{
    public sealed record Bar(string Label, decimal Value);

    public static string Svg(IReadOnlyList<Bar> bars, string currency, string title)
    {
        const int barWidth = 56, gap = 24, top = 28, plotHeight = 160, bottom = 36, left = 8;
        var width = left * 2 + Math.Max(1, bars.Count) * (barWidth + gap);
        var height = top + plotHeight + bottom;
        var max = bars.Count == 0 ? 0 : bars.Max(b => Math.Abs(b.Value));
        var description = bars.Count == 0
            ? $"{title}: no reports in this range."
            : $"{title}: " + string.Join("; ", bars.Select(b => $"{b.Label} {Money(b.Value)} {currency}"));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-label="{Encode(description)}">""");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Encode(description)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{left}" y1="{top + plotHeight}" x2="{width - left}" y2="{top + plotHeight}" stroke="#5b6675" stroke-width="1"/>""");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var barHeight = max == 0 ? 0 : (int)Math.Round(Math.Abs(bar.Value) / max * plotHeight);
            var x = left + gap / 2 + i * (barWidth + gap);
            var y = top + plotHeight - barHeight;
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x}" y="{y}" width="{barWidth}" height="{barHeight}" fill="#0b5cad" stroke="#14273e"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + barWidth / 2}" y="{y - 6}" text-anchor="middle" font-size="12" fill="#1b2430">{Encode(Money(bar.Value))}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + barWidth / 2}" y="{top + plotHeight + 18}" text-anchor="middle" font-size="12" fill="#1b2430">{Encode(bar.Label)}</text>""");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Money(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
