using System.Globalization;

namespace Skyport.Features.Billing.Rating;

/// <summary>A calendar month (YYYY-MM) that names a billing cycle.</summary>
public readonly record struct BillingMonth : IComparable<BillingMonth>
{
    public BillingMonth(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        Year = year;
        Month = month;
    }

    public int Year { get; }
    public int Month { get; }

    public int LastDay => DateTime.DaysInMonth(Year, Month);

    public static BillingMonth Of(DateOnly date) => new(date.Year, date.Month);

    public BillingMonth AddMonths(int months)
    {
        var first = new DateOnly(Year, Month, 1).AddMonths(months);
        return new BillingMonth(first.Year, first.Month);
    }

    /// <summary>Number of months from this month to <paramref name="other"/> (negative when other is earlier).</summary>
    public int MonthsUntil(BillingMonth other) => (other.Year - Year) * 12 + other.Month - Month;

    public static bool TryParse(string? text, out BillingMonth month)
    {
        month = default;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || year < 1 || number is < 1 or > 12)
        {
            return false;
        }

        month = new BillingMonth(year, number);
        return true;
    }

    public static BillingMonth Parse(string text) =>
        TryParse(text, out var month) ? month : throw new FormatException($"'{text}' is not a month in the form YYYY-MM.");

    public int CompareTo(BillingMonth other) => (Year * 12 + Month).CompareTo(other.Year * 12 + other.Month);

    public static bool operator <(BillingMonth left, BillingMonth right) => left.CompareTo(right) < 0;
    public static bool operator >(BillingMonth left, BillingMonth right) => left.CompareTo(right) > 0;
    public static bool operator <=(BillingMonth left, BillingMonth right) => left.CompareTo(right) <= 0;
    public static bool operator >=(BillingMonth left, BillingMonth right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Year:D4}-{Month:D2}";
}
