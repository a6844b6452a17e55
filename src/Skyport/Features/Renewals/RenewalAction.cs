namespace Skyport.Features.Renewals;

/// <summary>What happens to a subscription the day after its term ends, in the words the pages and the API use.</summary>
public enum RenewalAction
{
    /// <summary>A new term as it is now.</summary>
    Renews,
    /// <summary>A new term with the changes scheduled for it (R10).</summary>
    RenewsWithChanges,
    /// <summary>Auto-renew off: it continues month to month in the extended service term (R12).</summary>
    EntersExtendedTerm,
    /// <summary>Cancelled at term end, suspended, or not eligible for the extended service term: it ends.</summary>
    Lapses,
}
