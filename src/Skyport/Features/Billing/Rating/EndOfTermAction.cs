namespace Skyport.Features.Billing.Rating;

/// <summary>R12: what happens on the day after a term's last day.</summary>
public enum EndOfTermAction
{
    /// <summary>Auto-renew on: a new term (with the scheduled changes, R10).</summary>
    Renew,
    /// <summary>Auto-renew off: month to month at the extended service term's price.</summary>
    Extend,
    /// <summary>Cancelled at term end, suspended, or not eligible for the extended service term: the subscription ends.</summary>
    Expire,
}
