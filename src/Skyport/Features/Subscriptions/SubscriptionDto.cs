namespace Skyport.Features.Subscriptions;

public sealed record SubscriptionDto(
    Guid Id,
    string OfferId,
    string Name,
    string? FriendlyName,
    string? PurchaseOrderNumber,
    int Quantity,
    int ConsumedQuantity,
    decimal UnitPrice,
    decimal MonthlyCost,
    string Currency,
    string PriceSource,
    string Status,
    bool AutoRenew,
    string TermDuration,
    string BillingFrequency,
    DateOnly StartDate,
    DateOnly RenewalDate,
    Guid? ParentSubscriptionId,
    ScheduledRenewalDto? ScheduledRenewal = null,
    string EndOfTermAction = EndOfTermActions.Renew,
    ExtendedServiceTermDto? ExtendedServiceTerm = null)
{
    /// <param name="consumed">Licenses of it assigned to users (<see cref="ConsumedLicenses"/>).</param>
    /// <param name="today">The day its renewal date is the end of the term of.</param>
    public static SubscriptionDto Of(O365Subscription s, int consumed, DateOnly today) => new(
        s.Id, s.OfferId, s.Name, s.FriendlyName, s.PurchaseOrderNumber, s.Quantity, consumed, s.UnitPrice, s.MonthlyCost(s.Quantity),
        s.Currency, s.PriceSource, SubscriptionMath.Text(s.Status), s.AutoRenew, s.TermDuration, s.BillingFrequency,
        s.StartDate, s.RenewalDate(today), s.ParentSubscriptionId,
        ScheduledRenewalDto.Of(s.ScheduledRenewal), EndOfTermActions.Of(s), ExtendedServiceTermDto.Of(s));
}
