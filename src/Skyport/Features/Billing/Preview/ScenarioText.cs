using System.Globalization;
using Skyport.Features.Billing.Rating;

namespace Skyport.Features.Billing.Preview;

/// <summary>The contract's spellings of dates and instants; enum values are spelled by <see cref="WireNames"/>.</summary>
public static class ScenarioText
{
    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm'Z'",
        "yyyy-MM-dd'T'HH:mmzzz",
    ];

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>ISO 8601 with an explicit offset (Z or ±hh:mm): an instant without one would be ambiguous.</summary>
    public static bool TryParseInstant(string? text, out DateTimeOffset instant)
    {
        if (DateTimeOffset.TryParseExact(
                text, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant))
        {
            instant = instant.ToUniversalTime();
            return true;
        }

        return false;
    }
}
