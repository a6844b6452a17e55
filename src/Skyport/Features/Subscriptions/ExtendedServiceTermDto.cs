namespace Skyport.Features.Subscriptions;

/// <summary>R12: the subscription continues month to month since <see cref="StartDate"/> at <see cref="UnitPrice"/> a seat.</summary>
public sealed record ExtendedServiceTermDto(DateOnly StartDate, decimal UnitPrice)
{
    public static ExtendedServiceTermDto? Of(O365Subscription s) =>
        s.ExtendedSince is { } since ? new(since, s.ExtendedUnitPrice ?? 0m) : null;
}
