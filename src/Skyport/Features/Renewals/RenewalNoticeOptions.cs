namespace Skyport.Features.Renewals;

/// <summary><c>Skyport:Renewals</c>: when administrators are told about the terms that end in their subtree.</summary>
public sealed class RenewalNoticeOptions
{
    /// <summary>How many days before a term ends each notice goes out (one email per organization and day lists them all).</summary>
    public int[] NoticeDaysBefore { get; set; } = [30, 7];

    /// <summary>How often the notices due are looked for; each is sent once, so this only bounds how late one can be.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);
}
