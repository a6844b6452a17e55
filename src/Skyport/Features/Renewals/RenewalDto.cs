namespace Skyport.Features.Renewals;

public sealed record RenewalDto(
    Guid SubscriptionId, Guid CustomerId, string Customer, string Subscription, string OfferId, DateOnly TermEnd, DateOnly EffectiveOn,
    string Action, string? Changes, int QuantityBefore, int QuantityAfter, decimal MonthlyBefore, decimal MonthlyAfter)
{
    public static RenewalDto From(RenewalAhead r) => new(
        r.SubscriptionId, r.CustomerId, r.CustomerName, r.SubscriptionName, r.OfferId, r.TermEnd, r.EffectiveOn,
        r.Action.WireName(), r.Changes.Length == 0 ? null : r.Changes, r.QuantityBefore, r.QuantityAfter, r.MonthlyBefore, r.MonthlyAfter);
}
