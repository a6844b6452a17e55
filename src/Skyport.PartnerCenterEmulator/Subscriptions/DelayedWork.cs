using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Billing;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Webhooks;

namespace Skyport.PartnerCenterEmulator.Subscriptions;

/// <summary>
/// What Partner Center finishes later, on the emulator's clock: pending orders complete (their subscriptions become
/// active and are billed from then) and PATCHes answered 202 land. Runs before any request once something is due, and
/// from <see cref="DelayedWorkTimer"/> when nobody asks. Callers hold the state gate.
/// </summary>
public sealed class DelayedWork(EmulatorClock clock, WebhookDispatcher webhooks, ILogger<DelayedWork> logger)
{
    private readonly Lock _lock = new();
    private DateTime? _next;

    public void DueAt(DateTime at)
    {
        lock (_lock)
        {
            if (_next is null || at < _next) _next = at;
        }
    }

    public bool IsDue
    {
        get
        {
            lock (_lock) return _next is { } next && next <= clock.UtcNow;
        }
    }

    /// <summary>Finds what a saved state still has to do (the emulator restarted with pending work).</summary>
    public void Load(EmulatorDb db)
    {
        var orders = db.Orders.Where(o => o.Status == OrderStatuses.Pending).Select(o => o.CompletesAt).ToList();
        var changes = db.Subscriptions.Where(s => s.PendingChange != null).Select(s => s.PendingChange).ToList();
        foreach (var at in orders.OfType<DateTime>().Concat(changes.Select(c => c!.DueAt))) DueAt(at);
    }

    public async Task CatchUpAsync(EmulatorDb db)
    {
        if (!IsDue) return;
        lock (_lock) _next = null;
        var now = clock.UtcNow;
        var updated = new List<Subscription>();
        foreach (var order in await db.Orders.Where(o => o.Status == OrderStatuses.Pending).ToListAsync())
        {
            if (order.CompletesAt is { } at && at > now)
            {
                DueAt(at);
                continue;
            }
            foreach (var line in order.LineItems)
            {
                if (await db.Subscriptions.FindAsync(line.SubscriptionId) is not { Status: SubscriptionStatuses.Pending } s) continue;
                s.Status = SubscriptionStatuses.Active;
                s.Etag++;
                db.Charges.Add(Charges.FullPeriod(s, "new", s.TermStartDate, now));
                updated.Add(s);
            }
            order.Status = OrderStatuses.Completed;
            order.CompletesAt = null;
        }
        await db.SaveChangesAsync();
        foreach (var s in await db.Subscriptions.Where(s => s.PendingChange != null).ToListAsync())
        {
            var pending = s.PendingChange!;
            if (pending.DueAt > now)
            {
                DueAt(pending.DueAt);
                continue;
            }
            s.PendingChange = null;
            if (await SubscriptionEndpoints.RefuseAsync(db, s, pending.Change, now) is { } refused)
            {
                // The state moved on while the change waited (e.g. the clock passed the seat window): Partner Center drops it.
                logger.LogWarning("A delayed change of subscription {Id} could no longer be made: {Refusal}", s.Id, refused);
                await db.SaveChangesAsync();
                continue;
            }
            if (await SubscriptionEndpoints.ApplyAsync(db, s, pending.Change, now)) updated.Add(s);
        }
        foreach (var s in updated)
        {
            webhooks.Raise("subscription-updated", "subscription", $"/webhooks/v1/customers/{s.TenantId}/subscriptions/{s.Id}", now);
        }
    }
}

/// <summary>Finishes delayed work on time even when no request comes in.</summary>
public sealed class DelayedWorkTimer(IServiceScopeFactory scopes, StateGate gate, DelayedWork work, ILogger<DelayedWorkTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!work.IsDue) continue;
            await gate.Semaphore.WaitAsync(stoppingToken);
            try
            {
                using var scope = scopes.CreateScope();
                await work.CatchUpAsync(scope.ServiceProvider.GetRequiredService<EmulatorDb>());
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "Completing delayed orders and changes failed; trying again at the next tick");
                work.DueAt(DateTime.MinValue);
            }
            finally
            {
                gate.Semaphore.Release();
            }
        }
    }
}
