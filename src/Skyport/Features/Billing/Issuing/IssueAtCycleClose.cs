using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Skyport.Data;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Organizations;

namespace Skyport.Features.Billing.Issuing;

public sealed class BillingIssueOptions
{
    /// <summary>How often (real time) to look for cycles that closed and are not issued yet.</summary>
    public TimeSpan IssueEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Customers issued per transaction.</summary>
    public int BatchSize { get; set; } = 200;
}

/// <summary>
/// Issues every customer's report when its cycle closes, so that nothing depends on someone reading it. The clock may jump (it
/// follows the emulator's), so each round issues every closed cycle not issued yet; a read that issues first wins, the other
/// finds it stored.
/// </summary>
public sealed class IssueAtCycleClose(IServiceScopeFactory scopes, IOptions<BillingIssueOptions> options, ILogger<IssueAtCycleClose> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.IssueEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await IssueClosedCyclesAsync(scope.ServiceProvider, options.Value.BatchSize, stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(exception, "Issuing the closed billing cycles failed; the next round tries again");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>Issues the last closed cycle (and any closed one before it) of every customer that has events before its end; returns the customers issued.</summary>
    public static async Task<int> IssueClosedCyclesAsync(IServiceProvider services, int batchSize, CancellationToken ct)
    {
        var db = services.GetRequiredService<SkyportDbContext>();
        var issuer = services.GetRequiredService<ReportIssuer>();
        var today = Utc.DateOf(services.GetRequiredService<TimeProvider>().GetUtcNow());
        var resellers = await db.Organizations.AsNoTracking().Where(o => o.Kind == OrganizationKind.Reseller).ToListAsync(ct);
        var issued = 0;
        foreach (var reseller in resellers)
        {
            var settings = reseller.Billing ?? CreateOrganization.DefaultBilling;
            var closed = BillingCycle.Containing(today, settings.CycleEndDay).Month.AddMonths(-1);
            var cycle = BillingCycle.For(closed, settings.CycleEndDay);
            var closedAt = Utc.StartOf(cycle.BillingDate);
            var waiting = await db.Organizations.AsNoTracking()
                .Where(o => o.ParentId == reseller.Id && o.Kind == OrganizationKind.Customer
                    && db.SubscriptionEvents.Any(e => e.OrganizationId == o.Id && e.At < closedAt)
                    && !db.IssuedReports.Any(r => r.OrganizationId == o.Id && r.BillingDate == cycle.BillingDate))
                .Select(o => o.Id).ToListAsync(ct);
            foreach (var batch in waiting.Chunk(batchSize))
            {
                await issuer.SettleAsync(batch, settings, closed, closed, alwaysRate: false, ct);
                issued += batch.Length;
            }
        }
        return issued;
    }
}
