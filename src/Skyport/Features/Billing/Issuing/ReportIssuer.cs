using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Organizations;
using Skyport.Features.Subscriptions;

namespace Skyport.Features.Billing.Issuing;

/// <summary>A customer's statements for the cycles asked, the events rating refused, and its subscriptions by id.</summary>
public sealed record CustomerStatements(
    Guid CustomerId, IReadOnlyList<Statement> Statements, IReadOnlyList<RejectedEvent> Rejected, IReadOnlyDictionary<string, O365Subscription> Subscriptions);

/// <summary>
/// The database edge of <see cref="Freezing"/>: loads the customers' subscriptions, events, price lists and issued reports in one
/// query each (whatever the number of customers), settles each customer's cycles and stores the closed cycles it issues. A customer
/// with <see cref="Freezing.NothingToCorrect"/> has only its asked issued reports read and its open cycles rated without corrections.
/// </summary>
public sealed class ReportIssuer(SkyportDbContext db, TimeProvider clock)
{
    // A large reseller read at cycle close may meet several of the background service's batches in turn.
    private const int Attempts = 5;

    /// <summary>
    /// The statements of cycles <paramref name="from"/>..<paramref name="to"/>; every closed cycle of these customers is issued on
    /// the way. A customer whose asked cycles are all issued is not rated again unless <paramref name="alwaysRate"/> (for its
    /// refused events).
    /// </summary>
    public async Task<IReadOnlyList<CustomerStatements>> SettleAsync(
        IReadOnlyList<Guid> customers, BillingSettings settings, BillingMonth from, BillingMonth to, bool alwaysRate, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TrySettleAsync(customers, settings, from, to, alwaysRate, ct);
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                // Someone else issued one of these cycles first: read what they stored.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<IReadOnlyList<CustomerStatements>> TrySettleAsync(
        IReadOnlyList<Guid> customers, BillingSettings settings, BillingMonth from, BillingMonth to, bool alwaysRate, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = Utc.DateOf(now);
        var asked = BillingCycle.Range(from, to, settings.CycleEndDay);
        var (firstAsked, lastAsked) = (asked[0].BillingDate, asked[^1].BillingDate);
        var ids = customers.ToList();

        var issuedDates = (await db.IssuedReports.AsNoTracking().Where(r => ids.Contains(r.OrganizationId) && r.BillingDate >= firstAsked && r.BillingDate <= lastAsked)
            .Select(r => new { r.OrganizationId, r.BillingDate }).ToListAsync(ct)).ToLookup(r => r.OrganizationId, r => r.BillingDate);
        // A cycle that ends before a customer's first event has nothing, issued or not, nor has any cycle of a customer without
        // events: a customer whose asked cycles are all issued or such is not rated.
        var missing = alwaysRate ? ids : ids.Where(c => !asked.All(cycle => issuedDates[c].Contains(cycle.BillingDate))).ToList();
        // Every customer rated is among these: one read of their events finds each one's first and serves to rate them.
        var events = missing.Count == 0
            ? []
            : await db.SubscriptionEvents.AsNoTracking().Where(e => missing.Contains(e.OrganizationId)).OrderBy(e => e.At)
                .Select(e => new EventColumns(e.OrganizationId, e.SubscriptionId, e.At, e.Kind, e.QuantityAfter, e.AutoRenew, e.RecordedAt, e.Schedule, e.QuantityBefore, e.RelatedSubscriptionId, e.CustomTermEndDate)).ToListAsync(ct);
        var eventsOf = events.ToLookup(e => e.OrganizationId);
        var firstEvents = eventsOf.ToDictionary(g => g.Key, g => Utc.DateOf(g.First().At));
        bool Empty(Guid customer, BillingCycle cycle) => firstEvents.TryGetValue(customer, out var first) ? cycle.End < first : !issuedDates[customer].Any();
        var complete = alwaysRate
            ? []
            : ids.Where(c => asked.All(cycle => issuedDates[c].Contains(cycle.BillingDate) || Empty(c, cycle))).ToHashSet();
        var pending = ids.Where(c => !complete.Contains(c)).ToList();
        var completeIds = complete.ToList();

        var subscriptions = (await db.O365Subscriptions.AsNoTracking().Where(s => ids.Contains(s.OrganizationId)).OrderBy(s => s.CreatedAt).ToListAsync(ct))
            .ToLookup(s => s.OrganizationId);
        var prices = new List<Catalog.PriceListItem>();
        var unchanged = new HashSet<Guid>();
        if (pending.Count > 0)
        {
            prices = await db.PriceListItems.AsNoTracking().Where(p => p.OrganizationId == null || pending.Contains(p.OrganizationId.Value)).ToListAsync(ct);
            unchanged = await UnchangedAsync(pending, eventsOf, settings, today, ct);
        }
        // Customers whose reports are read as issued, and those with corrections to work out from every issued report.
        var readIds = completeIds.Concat(unchanged).ToList();
        var settleIds = pending.Where(c => !unchanged.Contains(c)).ToList();
        var reports = new List<IssuedReport>();
        if (readIds.Count > 0)
        {
            reports.AddRange(await db.IssuedReports.AsNoTracking()
                .Where(r => readIds.Contains(r.OrganizationId) && r.BillingDate >= firstAsked && r.BillingDate <= lastAsked).ToListAsync(ct));
        }
        if (settleIds.Count > 0)
        {
            reports.AddRange(await db.IssuedReports.AsNoTracking().Where(r => settleIds.Contains(r.OrganizationId)).ToListAsync(ct));
        }
        var issuedOf = reports.ToLookup(r => r.OrganizationId);
        var customerPrices = prices.Where(p => p.OrganizationId != null).ToLookup(p => p.OrganizationId!.Value, p => p.ToEntry());
        var globalPrices = prices.Where(p => p.OrganizationId == null).Select(p => p.ToEntry()).ToList();

        var result = new List<CustomerStatements>(ids.Count);
        var issuing = false;
        foreach (var customer in ids)
        {
            var subscriptionsById = subscriptions[customer].ToDictionary(s => s.Id.ToString());
            var issued = issuedOf[customer].OrderBy(r => r.BillingDate).Select(r => r.ToStatement()).ToList();
            if (complete.Contains(customer))
            {
                var byDate = issued.ToDictionary(i => i.BillingDate);
                result.Add(new CustomerStatements(customer, [.. asked.Select(cycle => byDate.GetValueOrDefault(cycle.BillingDate)
                    ?? new Statement(cycle.BillingDate, cycle.Start, cycle.End, settings.Currency, StatementState.Live, []))], [], subscriptionsById));
                continue;
            }

            var customerEvents = eventsOf[customer].ToList();
            var (ratedFrom, ratedTo, issueFrom) = (from, to, (DateOnly?)null);
            if (unchanged.Contains(customer))
            {
                ratedTo = Max(to, BillingCycle.Containing(today, settings.CycleEndDay).Month);
            }
            else if (customerEvents.Count > 0 || issued.Count > 0)
            {
                var firstCycle = BillingCycle.Containing(customerEvents.Count > 0 ? Utc.DateOf(customerEvents[0].At) : today, settings.CycleEndDay);
                if (issued.Count > 0 && issued[0].BillingDate < firstCycle.BillingDate)
                {
                    firstCycle = BillingCycle.Containing(issued[0].PeriodEnd, settings.CycleEndDay);
                }
                issueFrom = firstCycle.BillingDate;
                ratedFrom = Min(from, firstCycle.Month);
                ratedTo = Max(to, BillingCycle.Containing(today, settings.CycleEndDay).Month);
            }
            var purchases = customerEvents.Where(e => e.Kind == SubscriptionEventKind.Purchase).ToDictionary(e => e.SubscriptionId, e => e.AutoRenew ?? true);
            var rating = RatingEngine.Rate(new RatingInput(
                settings.CycleEndDay,
                settings.Currency,
                new PriceLists(globalPrices, [.. customerPrices[customer]]),
                [.. subscriptions[customer].Select(s => s.ToPlan(purchases.GetValueOrDefault(s.Id, true)))],
                [.. customerEvents.Select(e => SubscriptionEventRecord.RatingEvent(e.SubscriptionId, e.At, e.Kind, e.QuantityAfter, e.AutoRenew, e.Schedule, e.QuantityBefore, e.RelatedSubscriptionId, e.CustomTermEndDate)).OfType<SubscriptionEvent>()],
                ratedFrom,
                ratedTo));
            var statements = unchanged.Contains(customer) ? Freezing.Unchanged(rating.Reports, issued) : Freezing.Settle(rating.Reports, issued, issueFrom, today);
            foreach (var statement in statements.Where(s => s.State == StatementState.NewlyIssued))
            {
                db.IssuedReports.Add(IssuedReport.From(customer, statement, now));
                issuing = true;
            }
            result.Add(new CustomerStatements(
                customer, [.. statements.Where(s => s.BillingDate >= firstAsked && s.BillingDate <= lastAsked)], rating.Rejected, subscriptionsById));
        }

        if (issuing)
        {
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        return result;
    }

    /// <summary>
    /// The customers with <see cref="Freezing.NothingToCorrect"/>: their last closed cycle is issued and neither their events nor
    /// their or the global price list were recorded since, so their open cycle is rated without their issued reports.
    /// </summary>
    private async Task<HashSet<Guid>> UnchangedAsync(List<Guid> customers, ILookup<Guid, EventColumns> eventsOf, BillingSettings settings, DateOnly today, CancellationToken ct)
    {
        var lastClosed = BillingCycle.For(BillingCycle.Containing(today, settings.CycleEndDay).Month.AddMonths(-1), settings.CycleEndDay).BillingDate;
        var issuedAt = await db.IssuedReports.AsNoTracking().Where(r => customers.Contains(r.OrganizationId) && r.BillingDate == lastClosed)
            .Select(r => new { r.OrganizationId, r.IssuedAt }).ToDictionaryAsync(r => r.OrganizationId, r => r.IssuedAt, ct);
        if (issuedAt.Count == 0)
        {
            return [];
        }
        var saves = await db.PriceListSaves.AsNoTracking().Where(s => s.OrganizationId == null || customers.Contains(s.OrganizationId.Value))
            .GroupBy(s => s.OrganizationId).Select(g => new { g.Key, Latest = g.Max(s => s.SavedAt) }).ToListAsync(ct);
        var globalSave = saves.Where(s => s.Key == null).Select(s => (DateTimeOffset?)s.Latest).SingleOrDefault();
        var customerSave = saves.Where(s => s.Key != null).ToDictionary(s => s.Key!.Value, s => s.Latest);
        DateTimeOffset? Latest(Guid customer) => new[]
        {
            globalSave,
            customerSave.TryGetValue(customer, out var saved) ? saved : null,
            eventsOf[customer].Select(e => (DateTimeOffset?)e.RecordedAt).Max(),
        }.Max();
        return [.. customers.Where(c => Freezing.NothingToCorrect(issuedAt.TryGetValue(c, out var at) ? at : null, Latest(c)))];
    }

    /// <summary>What rating reads of a stored event, and when it was recorded: a large reseller's year is hundreds of thousands of them.</summary>
    private sealed record EventColumns(
        Guid OrganizationId, Guid SubscriptionId, DateTimeOffset At, SubscriptionEventKind Kind, int QuantityAfter, bool? AutoRenew, DateTimeOffset RecordedAt,
        RenewalSchedule? Schedule, int QuantityBefore, Guid? RelatedSubscriptionId, DateOnly? CustomTermEndDate);

    private static BillingMonth Min(BillingMonth a, BillingMonth b) => a < b ? a : b;

    private static BillingMonth Max(BillingMonth a, BillingMonth b) => a > b ? a : b;
}
