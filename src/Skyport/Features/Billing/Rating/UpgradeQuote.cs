namespace Skyport.Features.Billing.Rating;

/// <summary>R11: what an upgrade bills: a refund on the source and a charge on the target for the same days.</summary>
public sealed record UpgradeQuote(DateOnly From, DateOnly To, decimal Refund, decimal Charge)
{
    public decimal Net => Charge + Refund;
}
