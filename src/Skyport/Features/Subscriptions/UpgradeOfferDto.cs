namespace Skyport.Features.Subscriptions;

/// <summary>
/// An offer a subscription may be upgraded to now, with its price for the customer (as a purchase would be priced) and
/// what moving <see cref="Quantity"/> seats costs from today to <see cref="To"/>: <see cref="Refund"/> (negative) on the
/// source, <see cref="Charge"/> on the target, <see cref="Net"/> both.
/// </summary>
public sealed record UpgradeOfferDto(
    string OfferId,
    string Name,
    string Description,
    string TermDuration,
    string BillingFrequency,
    decimal UnitPrice,
    string Currency,
    string PriceSource,
    int Quantity,
    DateOnly From,
    DateOnly To,
    decimal Refund,
    decimal Charge,
    decimal Net);
