namespace Skyport.Features.Billing.Rating;

internal enum QuantityChangeKind
{
    /// <summary>From 0 to the seats bought (a purchase or an upgrade's target).</summary>
    Purchase,
    /// <summary>An increase, a decrease, a cancellation or the seats an upgrade moves away: each is its own line.</summary>
    Change,
    /// <summary>A scheduled quantity taking effect at renewal (R10): part of the new term's starting seats, never its own line.</summary>
    Renewal,
}

/// <summary>An accepted change of the seat count; a purchase goes up from 0 and a cancellation down to 0.</summary>
internal readonly record struct QuantityChange(DateTimeOffset At, DateOnly Date, int Delta, QuantityChangeKind Kind);
