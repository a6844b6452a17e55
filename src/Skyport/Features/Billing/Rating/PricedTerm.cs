namespace Skyport.Features.Billing.Rating;

/// <summary>
/// A term with the unit price locked at its start (R5, R6). <see cref="NaturalDays"/> are the days of the full term it
/// belongs to: a shortened term (a co-terminous purchase's first term, R13, or an upgrade target's, R11) and the changes
/// inside it are prorated over them (R14.2). <see cref="Index"/> counts terms from the anchor of later terms.
/// </summary>
internal readonly record struct PricedTerm(
    int Index,
    DateOnly Start,
    DateOnly End,
    int NaturalDays,
    decimal UnitPrice,
    PriceSource Source,
    string OfferId,
    BillingFrequency Frequency,
    bool Extended,
    bool StartsWithPurchase)
{
    public int Days => End.DayNumber - Start.DayNumber + 1;

    public bool IsShortened => Days < NaturalDays;
}
