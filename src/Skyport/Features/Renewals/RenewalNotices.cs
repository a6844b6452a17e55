using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Skyport.Data;
using Skyport.Features.Email;
using Skyport.Features.Organizations;

namespace Skyport.Features.Renewals;

/// <summary>
/// Tells each organization's administrators, once a day at most, which terms in its subtree end within the configured days
/// and what will happen to each. Every notice is recorded with its email in one transaction (<see cref="RenewalNotice"/>),
/// so a term is announced once per threshold, whichever instance runs the check.
/// </summary>
public sealed class RenewalNotices(IServiceScopeFactory scopes, IOptions<RenewalNoticeOptions> options, ILogger<RenewalNotices> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await SendDueAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Renewal notices could not be sent; trying again at the next check");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Sends the notices due today; returns how many organizations were emailed.</summary>
    public async Task<int> SendDueAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<SkyportDbContext>();
        var query = services.GetRequiredService<RenewalsQuery>();
        var mail = services.GetRequiredService<MailQueue>();
        var thresholds = options.Value.NoticeDaysBefore.Where(d => d >= 0).Distinct().ToArray();
        if (thresholds.Length == 0)
        {
            return 0;
        }
        var today = query.Today;
        var renewals = await query.WithinAsync("", thresholds.Max(), ct);
        if (renewals.Count == 0)
        {
            return 0;
        }
        var organizations = await db.Organizations.IgnoreQueryFilters().AsNoTracking().ToListAsync(ct);
        var told = (await db.RenewalNotices.AsNoTracking().Where(n => n.TermEnd >= today).ToListAsync(ct))
            .GroupBy(n => n.OrganizationId)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<(Guid, DateOnly), int>)g
                .GroupBy(n => (n.SubscriptionId, n.TermEnd)).ToDictionary(t => t.Key, t => t.Min(n => n.DaysBefore)));
        var due = RenewalsBySubtree(organizations, renewals)
            .Select(x => (Organization: x.Key, Due: RenewalNoticeRules.Due(x.Value, today, thresholds,
                told.GetValueOrDefault(x.Key.Id) ?? new Dictionary<(Guid, DateOnly), int>())))
            .Where(x => x.Due.Count > 0)
            .ToList();
        var ids = due.Select(x => x.Organization.Id).ToList();
        var administratorsOf = (await db.Users.AsNoTracking()
                .Where(u => ids.Contains(u.OrganizationId) && u.Email != null && !u.Email.EndsWith(".invalid"))
                .Select(u => new { u.OrganizationId, Email = u.Email! })
                .ToListAsync(ct))
            .ToLookup(u => u.OrganizationId, u => u.Email);
        var emailed = 0;
        foreach (var (organization, dueHere) in due)
        {
            var administrators = administratorsOf[organization.Id].ToList();
            if (administrators.Count == 0)
            {
                continue;
            }
            var now = DateTimeOffset.UtcNow;
            foreach (var (renewal, daysBefore) in dueHere)
            {
                db.RenewalNotices.Add(new RenewalNotice
                {
                    OrganizationId = organization.Id, SubscriptionId = renewal.SubscriptionId, TermEnd = renewal.TermEnd, DaysBefore = daysBefore, SentAt = now,
                });
            }
            foreach (var administrator in administrators)
            {
                mail.Add(db, Email(administrator, organization, [.. dueHere.Select(d => d.Renewal)]));
            }
            try
            {
                await db.SaveChangesAsync(ct);
                emailed++;
            }
            catch (DbUpdateException)
            {
                // Another instance told this organization first.
                db.ChangeTracker.Clear();
            }
        }
        return emailed;
    }

    /// <summary>Each organization with the renewals of its subtree: a customer's renewals belong to it and to every organization above it (the prefixes of its path).</summary>
    private static Dictionary<Organization, List<RenewalAhead>> RenewalsBySubtree(IReadOnlyList<Organization> organizations, IEnumerable<RenewalAhead> renewals)
    {
        var byId = organizations.ToDictionary(o => o.Id);
        var byPath = organizations.ToDictionary(o => o.Path, StringComparer.Ordinal);
        var subtrees = new Dictionary<Organization, List<RenewalAhead>>();
        foreach (var renewal in renewals)
        {
            if (!byId.TryGetValue(renewal.CustomerId, out var customer))
            {
                continue;
            }
            var path = customer.Path;
            for (var end = path.IndexOf('/'); end >= 0; end = path.IndexOf('/', end + 1))
            {
                if (byPath.TryGetValue(path[..(end + 1)], out var organization))
                {
                    (subtrees.TryGetValue(organization, out var list) ? list : subtrees[organization] = []).Add(renewal);
                }
            }
        }
        return subtrees;
    }

    public static EmailMessage Email(string to, Organization organization, IReadOnlyList<RenewalAhead> renewals)
    {
        var body = new StringBuilder();
        body.AppendLine(CultureInfo.InvariantCulture, $"Hello,");
        body.AppendLine();
        body.AppendLine(CultureInfo.InvariantCulture, $"These subscriptions of {organization.Name} reach the end of their term soon:");
        body.AppendLine();
        foreach (var r in renewals.OrderBy(r => r.TermEnd))
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"- {r.CustomerName}, {r.SubscriptionName}, {r.QuantityBefore} {(r.QuantityBefore == 1 ? "seat" : "seats")}: the term ends on {r.TermEnd:yyyy-MM-dd}. {Sentence(r)}");
        }
        body.AppendLine();
        body.AppendLine("Change what happens at renewal on the subscription's page in Skyport, or see every renewal ahead on the Renewals page.");
        var subject = renewals.Count == 1
            ? $"A subscription of {organization.Name} reaches its term end on {renewals[0].TermEnd:yyyy-MM-dd}"
            : $"{renewals.Count} subscriptions of {organization.Name} reach their term end soon";
        return new EmailMessage(to, subject, body.ToString());
    }

    private static string Sentence(RenewalAhead r)
    {
        var money = (decimal amount) => $"{amount.ToString("0.00", CultureInfo.InvariantCulture)} {r.Currency}";
        return r.Action switch
        {
            RenewalAction.Renews => $"It renews for a new term; {money(r.MonthlyBefore)} a month now, {money(r.MonthlyAfter)} after.",
            RenewalAction.RenewsWithChanges => $"It renews with changes ({r.Changes}); {money(r.MonthlyBefore)} a month now, {money(r.MonthlyAfter)} after.",
            RenewalAction.EntersExtendedTerm => $"Auto-renew is off: it continues month to month in the extended service term ({r.Changes}), {money(r.MonthlyAfter)} a month instead of {money(r.MonthlyBefore)}.",
            _ => $"It lapses: it ends and is no longer billed ({money(r.MonthlyBefore)} a month now).",
        };
    }
}
