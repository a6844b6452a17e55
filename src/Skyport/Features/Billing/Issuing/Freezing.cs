using Skyport.Features.Billing.Rating;

namespace Skyport.Features.Billing.Issuing;

/// <summary>
/// One line of a customer's report: an engine line, or (<see cref="Correction"/>) a correction of a cycle already issued,
/// named by <see cref="Corrects"/> (that cycle's billing date). A correction's period, unit price and price source are those of
/// the corrected line; its quantity is the change of seats billed for that period (negative when seats come off) and its
/// amount the difference.
/// </summary>
public sealed record ReportLine(
    string SubscriptionId, string? ParentId, string OfferId, string Type, DateOnly PeriodStart, DateOnly PeriodEnd,
    int Quantity, decimal UnitPrice, decimal Amount, string PriceSource, DateOnly? Corrects = null)
{
    public const string Correction = "correction";

    public static ReportLine From(SubscriptionCharges charges, BillingLine line) => new(
        charges.SubscriptionId, charges.ParentId, line.OfferId, line.Type.WireName(), line.PeriodStart, line.PeriodEnd,
        line.Quantity, line.UnitPrice, line.Amount, line.PriceSource.WireName());

    /// <summary>Refunds carry a positive quantity; billed seats count them negative.</summary>
    public int SignedQuantity => Type == "refund" ? -Quantity : Quantity;
}

public enum StatementState
{
    /// <summary>Stored before this read: returned exactly as issued.</summary>
    Issued,
    /// <summary>A closed cycle issued by this read: to be stored.</summary>
    NewlyIssued,
    /// <summary>Not issued: the open cycles, and cycles before the customer's first event (nothing to issue).</summary>
    Live,
}

/// <summary>One cycle's report of one customer: its lines in report order (each subscription's lines, then its corrections).</summary>
public sealed record Statement(DateOnly BillingDate, DateOnly PeriodStart, DateOnly PeriodEnd, string Currency, StatementState State, IReadOnlyList<ReportLine> Lines)
{
    public decimal Total => Lines.Sum(l => l.Amount);
}

/// <summary>
/// Issued reports are frozen. A cycle is closed once its billing date has come; a closed cycle is issued once with the
/// engine's lines and never changes. What a later change (a late event, a price list edit) does to an issued cycle
/// appears as correction lines on the report of the cycle containing today, and is issued with it. Pure: the caller
/// loads and stores.
/// </summary>
public static class Freezing
{
    /// <summary>
    /// The statements of consecutive cycles. <paramref name="rated"/>: the engine's reports of the current events for every
    /// cycle from the first issued (or first issuable) one on; <paramref name="issued"/>: the statements stored;
    /// <paramref name="issueFrom"/>: the billing date of the first cycle that may be issued (the cycle of the customer's first
    /// event), null when there is nothing to issue.
    /// </summary>
    public static IReadOnlyList<Statement> Settle(IReadOnlyList<BillingReport> rated, IReadOnlyList<Statement> issued, DateOnly? issueFrom, DateOnly today)
    {
        var stored = issued.ToDictionary(s => s.BillingDate);
        var ratedByDate = rated.ToDictionary(r => r.BillingDate);
        // What each issued cycle has billed so far: its own lines plus the corrections issued for it since.
        var billed = new SortedDictionary<DateOnly, List<ReportLine>>();
        foreach (var statement in issued)
        {
            Bill(billed, statement);
        }

        var result = new List<Statement>(rated.Count);
        foreach (var report in rated)
        {
            if (stored.TryGetValue(report.BillingDate, out var done))
            {
                result.Add(done);
                continue;
            }

            var closed = report.BillingDate <= today;
            var current = report.PeriodStart <= today && today <= report.PeriodEnd;
            var issuable = closed && issueFrom is { } first && report.BillingDate >= first;
            var corrections = issuable || current ? CorrectionsBefore(report.BillingDate, billed, ratedByDate) : [];
            var statement = new Statement(report.BillingDate, report.PeriodStart, report.PeriodEnd, report.Currency,
                issuable ? StatementState.NewlyIssued : StatementState.Live, Merge(report, corrections));
            if (issuable)
            {
                Bill(billed, statement);
            }

            result.Add(statement);
        }

        return result;
    }

    /// <summary>
    /// How long before an issue a change may have been stamped and still not be seen by it: a write takes Skyport's time before
    /// its Partner Center call and commits after it, while the issue stamps its time before reading.
    /// </summary>
    public static readonly TimeSpan UnseenWrites = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether a customer's report of the open cycle surely has no corrections, so that it needs neither its issued reports nor
    /// rating its history again: its last closed cycle is issued (at <paramref name="lastClosedIssuedAt"/>, null when not), and
    /// nothing rating reads (its events, its and the global price lists) was recorded since (<paramref name="latestChange"/>,
    /// null when nothing was ever recorded), with <see cref="UnseenWrites"/> to spare. Issuing that cycle corrected every cycle
    /// before it to what the engine rated then; with the same events and prices the engine rates the same again.
    /// </summary>
    public static bool NothingToCorrect(DateTimeOffset? lastClosedIssuedAt, DateTimeOffset? latestChange) =>
        lastClosedIssuedAt is { } issuedAt && (latestChange is not { } changed || changed < issuedAt - UnseenWrites);

    /// <summary>
    /// The statements of a customer with <see cref="NothingToCorrect"/>: the stored report of each issued cycle, the engine's lines
    /// of every other one (open cycles, and closed ones before its first event, which have none).
    /// </summary>
    public static IReadOnlyList<Statement> Unchanged(IReadOnlyList<BillingReport> rated, IReadOnlyList<Statement> issued)
    {
        var stored = issued.ToDictionary(s => s.BillingDate);
        return [.. rated.Select(report => stored.GetValueOrDefault(report.BillingDate)
            ?? new Statement(report.BillingDate, report.PeriodStart, report.PeriodEnd, report.Currency, StatementState.Live, Merge(report, [])))];
    }

    /// <summary>
    /// The correction of one issued cycle: what the engine rates for it now minus what was billed for it (its issued lines and
    /// the corrections issued since), per subscription, period, unit price and price source; nothing when they agree.
    /// </summary>
    public static IReadOnlyList<ReportLine> Corrections(DateOnly corrected, IEnumerable<ReportLine> now, IEnumerable<ReportLine> billed)
    {
        var differences = new Dictionary<(string, DateOnly, DateOnly, decimal, string), (ReportLine First, int Quantity, decimal Amount)>();
        var order = new List<(string, DateOnly, DateOnly, decimal, string)>();
        void Add(ReportLine line, int sign)
        {
            var key = (line.SubscriptionId, line.PeriodStart, line.PeriodEnd, line.UnitPrice, line.PriceSource);
            if (!differences.TryGetValue(key, out var difference))
            {
                difference = (line, 0, 0m);
                order.Add(key);
            }

            differences[key] = (difference.First, difference.Quantity + sign * line.SignedQuantity, difference.Amount + sign * line.Amount);
        }

        foreach (var line in now)
        {
            Add(line, 1);
        }

        foreach (var line in billed)
        {
            Add(line, -1);
        }

        return [.. order.Select(key => differences[key])
            .Where(d => d.Quantity != 0 || d.Amount != 0)
            .Select(d => d.First with { Type = ReportLine.Correction, Quantity = d.Quantity, Amount = d.Amount, Corrects = corrected })];
    }

    private static List<ReportLine> CorrectionsBefore(DateOnly billingDate, SortedDictionary<DateOnly, List<ReportLine>> billed, Dictionary<DateOnly, BillingReport> rated)
    {
        var corrections = new List<ReportLine>();
        foreach (var (corrected, lines) in billed)
        {
            if (corrected >= billingDate)
            {
                break;
            }

            var now = rated.TryGetValue(corrected, out var report)
                ? report.Subscriptions.SelectMany(s => s.Lines.Select(l => ReportLine.From(s, l)))
                : [];
            corrections.AddRange(Corrections(corrected, now, lines));
        }

        return corrections;
    }

    private static void Bill(SortedDictionary<DateOnly, List<ReportLine>> billed, Statement statement)
    {
        foreach (var line in statement.Lines)
        {
            var cycle = line.Corrects ?? statement.BillingDate;
            if (!billed.TryGetValue(cycle, out var lines))
            {
                billed[cycle] = lines = [];
            }

            lines.Add(line);
        }
    }

    /// <summary>Each subscription's lines followed by its corrections; subscriptions with corrections only come last.</summary>
    private static List<ReportLine> Merge(BillingReport report, List<ReportLine> corrections)
    {
        var bySubscription = corrections.ToLookup(c => c.SubscriptionId, StringComparer.Ordinal);
        var lines = new List<ReportLine>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var charges in report.Subscriptions)
        {
            lines.AddRange(charges.Lines.Select(l => ReportLine.From(charges, l)));
            lines.AddRange(bySubscription[charges.SubscriptionId]);
            listed.Add(charges.SubscriptionId);
        }

        lines.AddRange(corrections.Where(c => !listed.Contains(c.SubscriptionId)).GroupBy(c => c.SubscriptionId, StringComparer.Ordinal).SelectMany(g => g));
        return lines;
    }
}
