using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Issuing;
using Skyport.Features.Billing.Preview;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Organizations;
using Skyport.Features.Subscriptions;
using Skyport.Web;

namespace Skyport.Features.Billing.Reports;

/// <summary>
/// <see cref="Cost"/> (Microsoft's cost for the line) and <see cref="Margin"/> are filled for the broker only. A <c>correction</c> line
/// names the billing date of the issued report it corrects (<see cref="Corrects"/>).
/// </summary>
public sealed record ReportLineDto(
    string Type, DateOnly PeriodStart, DateOnly PeriodEnd, int Quantity, decimal UnitPrice, decimal Amount, string PriceSource,
    string SubscriptionId, string OfferId, string Name, string? FriendlyName, string? PurchaseOrderNumber,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] decimal? Cost = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] decimal? Margin = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] DateOnly? Corrects = null);

public sealed record ReportSubscriptionDto(
    string SubscriptionId, string? ParentId, string OfferId, string Name, string? FriendlyName, string? PurchaseOrderNumber,
    decimal Total, IReadOnlyList<ReportLineDto> Lines);

/// <summary><see cref="Issued"/>: the cycle has closed, so the report is kept as it is; an open cycle's lines still change.</summary>
public sealed record CustomerReportDto(
    DateOnly BillingDate, DateOnly PeriodStart, DateOnly PeriodEnd, string Currency, decimal Total, IReadOnlyList<ReportSubscriptionDto> Subscriptions, bool Issued);

public sealed record CustomerReportsDto(IReadOnlyList<CustomerReportDto> Reports, IReadOnlyList<PreviewRejectedEvent> Rejected);

public sealed record CustomerCharges(Guid CustomerId, string Name, string? TenantDomain, decimal Total, IReadOnlyList<ReportSubscriptionDto> Subscriptions);

/// <inheritdoc cref="CustomerReportDto"/>
public sealed record ResellerReportDto(
    DateOnly BillingDate, DateOnly PeriodStart, DateOnly PeriodEnd, string Currency, decimal Total, IReadOnlyList<CustomerCharges> Customers, bool Issued);

public sealed record ResellerReportsDto(IReadOnlyList<ResellerReportDto> Reports);

/// <summary>
/// Billing reports of stored subscriptions: the customer's subscription events, rated by the same engine as the preview
/// (<see cref="RatingEngine.Rate"/>), one report per cycle of the reseller's billing settings. A closed cycle's report is the one
/// issued (<see cref="ReportIssuer"/>); the report of the cycle containing today carries the corrections of issued ones.
/// </summary>
public sealed class BillingReports(SkyportDbContext db, TimeProvider clock, Caller caller, ReportIssuer issuer)
{
    public const int MaxMonths = 120;

    /// <summary>The months asked for, or "Last month" (the last closed cycle of a reseller whose cycles end on <paramref name="cycleEndDay"/>) when none are given.</summary>
    public Outcome<(BillingMonth From, BillingMonth To)> Range(string? from, string? to, int cycleEndDay)
    {
        if (string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to))
        {
            var last = BillingCycle.LastMonth(Utc.DateOf(clock.GetUtcNow()), cycleEndDay).Month;
            return (last, last);
        }
        var errors = new Dictionary<string, string[]>();
        if (!BillingMonth.TryParse(from, out var start))
        {
            errors["from"] = ["Give the first month as YYYY-MM."];
        }
        if (!BillingMonth.TryParse(to ?? from, out var end))
        {
            errors["to"] = ["Give the last month as YYYY-MM."];
        }
        if (errors.Count == 0 && end < start)
        {
            errors["to"] = ["The last month is before the first."];
        }
        if (errors.Count == 0 && start.MonthsUntil(end) + 1 > MaxMonths)
        {
            errors["to"] = [$"At most {MaxMonths} months at a time."];
        }
        return errors.Count > 0 ? Failure.Invalid(errors) : (start, end);
    }

    public async Task<Outcome<CustomerReportsDto>> ForCustomerAsync(Guid customerId, BillingMonth from, BillingMonth to, CancellationToken ct)
    {
        var customer = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == customerId && o.Kind == OrganizationKind.Customer, ct);
        if (customer is null)
        {
            return Failure.NotFound("The customer");
        }
        var settings = await SettingsOfAsync(customer, ct);
        var settled = (await issuer.SettleAsync([customer.Id], settings, from, to, alwaysRate: true, ct))[0];
        await LoadCostsAsync(ct);
        return new CustomerReportsDto(
            [.. settled.Statements.Select(s => new CustomerReportDto(s.BillingDate, s.PeriodStart, s.PeriodEnd, s.Currency, s.Total, Subscriptions(s, settled.Subscriptions), IsIssued(s.BillingDate)))],
            [.. settled.Rejected.Select(e => new PreviewRejectedEvent(e.EventIndex, e.Reason))]);
    }

    public async Task<Outcome<ResellerReportsDto>> ForResellerAsync(Guid resellerId, BillingMonth from, BillingMonth to, Guid? onlyCustomer, CancellationToken ct)
    {
        var reseller = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == resellerId && o.Kind == OrganizationKind.Reseller, ct);
        if (reseller is null)
        {
            return Failure.NotFound("The reseller");
        }
        var settings = reseller.Billing ?? CreateOrganization.DefaultBilling;
        var customers = await db.Organizations.AsNoTracking()
            .Where(o => o.ParentId == reseller.Id && o.Kind == OrganizationKind.Customer && (onlyCustomer == null || o.Id == onlyCustomer))
            .OrderBy(o => o.Name).ToListAsync(ct);
        var ids = customers.Select(c => c.Id).ToList();
        var domains = await db.O365Services.AsNoTracking().Where(s => ids.Contains(s.OrganizationId)).Select(s => new { s.OrganizationId, s.Domain }).ToListAsync(ct);
        var domainOf = domains.ToDictionary(d => d.OrganizationId, d => d.Domain);
        var cycles = BillingCycle.Range(from, to, settings.CycleEndDay);
        var perCycle = cycles.ToDictionary(c => c.BillingDate, _ => new List<CustomerCharges>());
        var settled = (await issuer.SettleAsync(ids, settings, from, to, alwaysRate: false, ct)).ToDictionary(s => s.CustomerId);
        await LoadCostsAsync(ct);
        foreach (var customer in customers)
        {
            var statements = settled[customer.Id];
            foreach (var statement in statements.Statements.Where(s => s.Lines.Count > 0))
            {
                perCycle[statement.BillingDate].Add(new CustomerCharges(
                    customer.Id, customer.Name, domainOf.GetValueOrDefault(customer.Id), statement.Total, Subscriptions(statement, statements.Subscriptions)));
            }
        }
        return new ResellerReportsDto([.. cycles.Select(c => new ResellerReportDto(
            c.BillingDate, c.Start, c.End, settings.Currency, perCycle[c.BillingDate].Sum(x => x.Total), perCycle[c.BillingDate], IsIssued(c.BillingDate)))]);
    }

    /// <summary>One row per charge, for the export.</summary>
    public static IEnumerable<ReportExportRow> Rows(ResellerReportsDto reports) =>
        from report in reports.Reports
        from customer in report.Customers
        from subscription in customer.Subscriptions
        from line in subscription.Lines
        select new ReportExportRow(report.BillingDate, line.PeriodStart, line.PeriodEnd, customer.Name, customer.TenantDomain, line.SubscriptionId,
            line.OfferId, line.Name, line.FriendlyName, line.PurchaseOrderNumber, line.Type, line.Quantity, line.UnitPrice, line.Amount, report.Currency, line.PriceSource);

    public static ResellerReportsDto AsReseller(CustomerReportsDto reports, Guid customerId, string name, string? domain) =>
        new([.. reports.Reports.Select(r => new ResellerReportDto(r.BillingDate, r.PeriodStart, r.PeriodEnd, r.Currency, r.Total,
            r.Subscriptions.Count == 0 ? [] : [new CustomerCharges(customerId, name, domain, r.Total, r.Subscriptions)], r.Issued))]);

    /// <summary>A cycle is issued once its billing date has come (ADR 4).</summary>
    private bool IsIssued(DateOnly billingDate) => billingDate <= Utc.DateOf(clock.GetUtcNow());

    /// <summary>The cycle end day that applies to a reseller or to a customer (its reseller's); the caller has checked access.</summary>
    public async Task<int> CycleEndDayAsync(Guid organizationId, CancellationToken ct)
    {
        var organization = await db.Organizations.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization?.Kind == OrganizationKind.Customer)
        {
            return (await SettingsOfAsync(organization, ct)).CycleEndDay;
        }
        return (organization?.Billing ?? CreateOrganization.DefaultBilling).CycleEndDay;
    }

    private async Task<BillingSettings> SettingsOfAsync(Organization customer, CancellationToken ct)
    {
        // A customer administrator cannot see its reseller, but its cycle is the reseller's: read just the settings.
        var reseller = await db.Organizations.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(o => o.Id == customer.ParentId, ct);
        return reseller?.Billing ?? CreateOrganization.DefaultBilling;
    }

    private async Task LoadCostsAsync(CancellationToken ct) =>
        _costs ??= caller.IsBroker
            ? (await db.CatalogCostPrices.AsNoTracking().ToListAsync(ct)).ToDictionary(c => (c.OfferId, c.TermDuration, c.BillingFrequency), c => c.UnitPrice)
            : new Dictionary<(string, string, string), decimal>();

    // Microsoft's unit costs, read once per request and only for the broker.
    private Dictionary<(string OfferId, string Term, string Frequency), decimal>? _costs;

    /// <summary>Microsoft's cost of a line (a correction's too): its share of a whole period (amount ÷ unit price) times the unit cost.</summary>
    private (decimal? Cost, decimal? Margin) CostOf(O365Subscription? subscription, ReportLine line)
    {
        if (subscription is null || _costs is null || line.UnitPrice == 0
            || !_costs.TryGetValue((subscription.OfferId, subscription.TermDuration, subscription.BillingFrequency), out var unitCost))
        {
            return (null, null);
        }
        var cost = Money.RoundHalfAwayFromZero(line.Amount / line.UnitPrice * unitCost);
        return (cost, line.Amount - cost);
    }

    /// <summary>The statement's lines grouped by subscription, in report order.</summary>
    private IReadOnlyList<ReportSubscriptionDto> Subscriptions(Statement statement, IReadOnlyDictionary<string, O365Subscription> subscriptions) =>
        [.. statement.Lines.GroupBy(l => l.SubscriptionId, StringComparer.Ordinal).Select(group =>
        {
            var first = group.First();
            var s = subscriptions.GetValueOrDefault(group.Key);
            var (name, friendly, po) = (s?.Name ?? first.OfferId, s?.FriendlyName, s?.PurchaseOrderNumber);
            return new ReportSubscriptionDto(group.Key, first.ParentId, first.OfferId, name, friendly, po, group.Sum(l => l.Amount),
                [.. group.Select(l =>
                {
                    var (cost, margin) = CostOf(s, l);
                    return new ReportLineDto(l.Type, l.PeriodStart, l.PeriodEnd, l.Quantity, l.UnitPrice, l.Amount, l.PriceSource,
                        group.Key, first.OfferId, name, friendly, po, cost, margin, l.Corrects);
                })]);
        })];
}
