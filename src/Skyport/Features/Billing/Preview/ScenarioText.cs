using System.Globalization;
using Skyport.Features.Billing.Rating;

namespace Skyport.Features.Billing.Preview;

/// <summary>The contract's spellings of dates, instants, months and enum values.</summary>
public static class ScenarioText
{
    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm'Z'",
        "yyyy-MM-dd'T'HH:mmzzz",
    ];

    public static string Of(LineType type) => type switch
    {
        LineType.CycleFee => "cycleFee",
        LineType.ProRata => "proRata",
        LineType.Refund => "refund",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string Of(PriceSource source) => source switch
    {
        PriceSource.Global => "global",
        PriceSource.Customer => "customer",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

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

    public static bool TryParseTerm(string? text, out TermDuration term)
    {
        (var ok, term) = text switch
        {
            "P1M" => (true, TermDuration.P1M),
            "P1Y" => (true, TermDuration.P1Y),
            _ => (false, default),
        };
        return ok;
    }

    public static bool TryParseFrequency(string? text, out BillingFrequency frequency)
    {
        (var ok, frequency) = text switch
        {
            "monthly" => (true, BillingFrequency.Monthly),
            "annual" => (true, BillingFrequency.Annual),
            _ => (false, default),
        };
        return ok;
    }

    public static bool TryParseEventType(string? text, out SubscriptionEventType type)
    {
        (var ok, type) = text switch
        {
            "purchase" => (true, SubscriptionEventType.Purchase),
            "changeQuantity" => (true, SubscriptionEventType.ChangeQuantity),
            "suspend" => (true, SubscriptionEventType.Suspend),
            "activate" => (true, SubscriptionEventType.Activate),
            "cancel" => (true, SubscriptionEventType.Cancel),
            "setAutoRenew" => (true, SubscriptionEventType.SetAutoRenew),
            _ => (false, default),
        };
        return ok;
    }
}
