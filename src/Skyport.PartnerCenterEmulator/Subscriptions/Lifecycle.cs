using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Billing;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Users;
using Skyport.PartnerCenterEmulator.Webhooks;

namespace Skyport.PartnerCenterEmulator.Subscriptions;

/// <summary>
/// What happens as the clock passes days: billing cycles, renewals at 00:00 UTC the day after the term's last day,
/// expiries, monthly invoices, and the permanent deletion of users deleted 30 days earlier.
/// Callers hold the state gate.
/// </summary>
public sealed class Lifecycle(EmulatorClock clock, WebhookDispatcher webhooks)
{
    public const string ProcessedKey = "processedThrough";

    public async Task CatchUpAsync(EmulatorDb db)
    {
        var today = clock.Today;
        var processedText = await db.GetMetaAsync(ProcessedKey);
        if (processedText is null)
        {
            await db.SetMetaAsync(ProcessedKey, today.ToString("O"));
            await db.SaveChangesAsync();
            return;
        }
        var processed = DateOnly.Parse(processedText);
        if (processed >= today) return;

        var subscriptions = await db.Subscriptions
            .Where(s => s.Status == SubscriptionStatuses.Active || s.Status == SubscriptionStatuses.Suspended).ToListAsync();
        var deletedUsers = await db.Users.Where(u => u.State == UserStates.Inactive).ToListAsync();
        var events = new List<(string Name, string Resource, string Uri, DateTime At)>();
        for (var day = processed.AddDays(1); day <= today; day = day.AddDays(1))
        {
            var at = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            if (day.Day == InvoiceEndpoints.InvoiceDay)
            {
                await db.SaveChangesAsync();
                foreach (var invoice in await IssueInvoicesAsync(db, day))
                {
                    events.Add(("invoice-ready", "invoice", $"/v1/invoices/{invoice.Id}", at));
                }
            }
            foreach (var s in subscriptions.Where(s => s.Status is SubscriptionStatuses.Active or SubscriptionStatuses.Suspended))
            {
                if (day == s.CommitmentEndDate.AddDays(1))
                {
                    if (s.ExtendedSince is not null)
                    {
                        // The next month of the extended service term, at the price locked when it began.
                        Renew(s, day, at);
                        s.SeatAdditions = [];
                        s.CancellationAllowedUntil = at;
                        db.Charges.Add(Charges.FullPeriod(s, ExtendedServiceTerm.ChargeType, day, at));
                    }
                    else if (s.Status == SubscriptionStatuses.Active && s.AutoRenewEnabled)
                    {
                        var customEnd = s.ScheduledNextTerm?.CustomTermEndDate;
                        ScheduledChanges.ApplyAtRenewal(s, day);
                        Renew(s, day, at);
                        if (customEnd is { } end)
                        {
                            // A co-termed next term: it ends on the custom date; the terms after it start the day after.
                            s.CommitmentEndDate = end;
                            s.TermAnchor = end.AddDays(1);
                            s.TermIndex = -1;
                        }
                        db.Charges.Add(Charges.FullPeriod(s, "renew", day, at));
                        events.Add(("subscription-renewed", "subscription", $"/webhooks/v1/customers/{s.TenantId}/subscriptions/{s.Id}", at));
                    }
                    else if (ExtendedServiceTerm.Applies(s))
                    {
                        ExtendedServiceTerm.Enter(s, day, at);
                        db.Charges.Add(Charges.FullPeriod(s, ExtendedServiceTerm.ChargeType, day, at));
                        events.Add(("subscription-updated", "subscription", $"/webhooks/v1/customers/{s.TenantId}/subscriptions/{s.Id}", at));
                    }
                    else
                    {
                        s.Status = SubscriptionStatuses.Expired;
                        s.EndedAt = at;
                        s.AutoRenewEnabled = false;
                        s.SuspensionReasons = ["Expiration"];
                        s.ScheduledNextTerm = null;
                        s.Etag++;
                        events.Add(("subscription-updated", "subscription", $"/webhooks/v1/customers/{s.TenantId}/subscriptions/{s.Id}", at));
                    }
                }
                else if (day == s.NextBillingDate)
                {
                    db.Charges.Add(Charges.FullPeriod(s, "cycleCharge", day, at));
                    s.NextBillingDate = NextBilling(s, day);
                }
            }
            foreach (var user in deletedUsers.Where(u => u.State == UserStates.Inactive && u.SoftDeletedAt!.Value.AddDays(30) <= at))
            {
                user.State = UserStates.Purged;
                user.Licenses = [];
                await TenantDirectory.TouchAsync(db, user);
            }
        }
        await db.SetMetaAsync(ProcessedKey, today.ToString("O"));
        await db.SaveChangesAsync();
        foreach (var e in events) webhooks.Raise(e.Name, e.Resource, e.Uri, e.At);
    }

    /// <summary>Starts the next term: new term dates, a new 168-hour window for all seats, billing from the first day.</summary>
    public static void Renew(Subscription s, DateOnly day, DateTime at)
    {
        s.TermIndex++;
        s.TermStartDate = Terms.TermStart(s.TermAnchor, s.TermDuration, s.TermIndex);
        if (s.TermStartDate != day)
        {
            // The anchor no longer fits (e.g. the clock was set back); restart the terms from this day.
            s.TermAnchor = day;
            s.TermIndex = 0;
            s.TermStartDate = day;
        }
        s.CommitmentEndDate = Terms.TermEnd(s.TermAnchor, s.TermDuration, s.TermIndex);
        s.NextBillingDate = NextBilling(s, day);
        s.SeatAdditions = [new SeatAddition(s.Quantity, at)];
        s.CancellationAllowedUntil = at + Terms.ReductionWindow;
        s.Etag++;
    }

    private static DateOnly NextBilling(Subscription s, DateOnly day)
    {
        var k = 1;
        while (Terms.BillingPeriodStart(s.TermStartDate, s.BillingCycle, s.TermDuration, k) <= day) k++;
        return Terms.BillingPeriodStart(s.TermStartDate, s.BillingCycle, s.TermDuration, k);
    }

    private static async Task<List<Invoice>> IssueInvoicesAsync(EmulatorDb db, DateOnly day)
    {
        // The invoice of a calendar month's charges, made on the 8th of the next.
        var periodEnd = new DateOnly(day.Year, day.Month, 1);
        var cutoff = periodEnd.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var pending = (await db.Charges.Where(c => c.InvoiceId == null).ToListAsync()).Where(c => c.ChargedAt < cutoff).ToList();
        var invoices = new List<Invoice>();
        foreach (var group in pending.GroupBy(c => c.Currency))
        {
            var invoice = new Invoice
            {
                Id = "G" + (await db.NextSequenceAsync("invoice")).ToString("D9"),
                InvoiceDate = day,
                BillingPeriodStartDate = periodEnd.AddMonths(-1),
                BillingPeriodEndDate = periodEnd.AddDays(-1),
                TotalCharges = group.Sum(c => c.Subtotal),
                Currency = group.Key,
            };
            foreach (var charge in group) charge.InvoiceId = invoice.Id;
            db.Invoices.Add(invoice);
            invoices.Add(invoice);
        }
        return invoices;
    }
}

/// <summary>Lets real time pass too: catches up once a minute even when nobody moves the clock.</summary>
public sealed class LifecycleTimer(IServiceScopeFactory scopes, StateGate gate, EmulatorOptions options, ILogger<LifecycleTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.LifecycleInterval);
        do
        {
            await gate.Semaphore.WaitAsync(stoppingToken);
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<Lifecycle>().CatchUpAsync(scope.ServiceProvider.GetRequiredService<EmulatorDb>());
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "Catching up renewals and invoices failed; trying again at the next tick");
            }
            finally
            {
                gate.Semaphore.Release();
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
