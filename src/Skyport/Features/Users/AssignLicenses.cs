using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.Features.Subscriptions;
using Skyport.PartnerCenter;
using Skyport.Web;
using Skyport.Web.Jobs;

namespace Skyport.Features.Users;

/// <param name="AddSeats">Subscribe: buy the licenses that are missing first (a quantity increase), then assign.</param>
/// <param name="RemoveFreedSeats">Unsubscribe: afterwards remove the freed seats that are still inside their 168-hour window.</param>
public sealed record LicenseRequest(IReadOnlyList<Guid>? UserIds, IReadOnlyList<Guid>? SubscriptionIds, bool? AddSeats = null, bool? RemoveFreedSeats = null);

/// <summary>A queued Subscribe or Unsubscribe: its users and subscriptions, and the seat removals planned when it was queued.</summary>
public sealed record LicenseJobRequest(IReadOnlyList<Guid>? UserIds, IReadOnlyList<Guid>? SubscriptionIds, IReadOnlyList<SeatRemoval>? SeatRemovals = null);

/// <summary>A subscription offered in the "Assign subscriptions" dialog, with its licenses as Partner Center counts them.</summary>
public sealed record LicenseOption(Guid Id, string Name, string OfferId, string Status, int Quantity, int Consumed, int Available, string? CannotAssign);

/// <summary>
/// "Subscribe" and "Unsubscribe": assigns or removes the licenses of subscriptions for many users. The rules decide first
/// (<see cref="LicenseRules"/>), before the action is queued as a job; the job then makes one Partner Center license
/// update per user, several at a time, and keeps Skyport's copy of each user that Partner Center accepted. Consumed units are Partner Center's own count, so they follow by themselves.
/// </summary>
public sealed class AssignLicenses(
    SkyportDbContext db, TenantUsers users, PartnerCenterClient partnerCenter, AuditLog audit, BulkJobs jobs, IConfiguration configuration,
    SeatsForLicenses seats, ILogger<AssignLicenses> logger)
{
    /// <summary>
    /// Checks the whole action as it stands (the request, the subscriptions, enough free licenses) and queues it as a job; a
    /// refusal comes at once and nothing is queued.
    /// </summary>
    public async Task<Outcome<BulkJobDto>> QueueAsync(Guid customerId, LicenseRequest request, bool subscribe, CancellationToken ct)
    {
        if (await jobs.QueuedByThisRequestAsync(customerId, ct) is { } queued)
        {
            return queued;
        }
        if (LicenseRules.CheckRequest(request.UserIds, request.SubscriptionIds) is { } invalid)
        {
            return invalid;
        }
        var userIds = request.UserIds!.Distinct().ToList();
        var loaded = await LoadAsync(customerId, request.SubscriptionIds!, userIds, ct);
        if (!loaded.Succeeded)
        {
            return loaded.Failure!;
        }
        var (tenantId, subscriptions, holders) = loaded.Value!;
        Outcome<LicensePlan> plan;
        IReadOnlyList<SeatRemoval>? removals = null;
        if (subscribe)
        {
            try
            {
                plan = LicenseRules.PlanSubscribe(userIds, holders, subscriptions, await AvailableBySkuAsync(tenantId, ct));
                if (request.AddSeats == true && Shortages(plan.Failure) is { Count: > 0 } shortages)
                {
                    // Bought first, then counted again: a retry after a crash finds the seats free and buys none twice.
                    if (await seats.AddAsync(customerId, shortages, ct) is { } notBought)
                    {
                        return notBought;
                    }
                    plan = LicenseRules.PlanSubscribe(userIds, holders, subscriptions, await AvailableBySkuAsync(tenantId, ct));
                }
            }
            catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Partner Center did not answer reading the licenses of customer {Customer}", customerId);
                return Failure.UpstreamFailed("Partner Center did not answer, so the free licenses are unknown. Nothing was assigned; try again.");
            }
        }
        else
        {
            plan = LicenseRules.PlanUnsubscribe(userIds, holders, subscriptions);
            if (plan.Succeeded && request.RemoveFreedSeats == true)
            {
                removals = await seats.PlanRemovalsAsync(customerId, subscriptions, holders, ct);
            }
        }
        if (!plan.Succeeded)
        {
            await audit.RecordOnceAsync(customerId, ActionName(subscribe), "refused", plan.Failure!.Detail, ct);
            return plan.Failure!;
        }
        // One license job of a customer at a time: a second one counted the same free licenses.
        return await jobs.QueueAsync(customerId, subscribe ? BulkJobKind.Subscribe : BulkJobKind.Unsubscribe,
                new LicenseJobRequest(userIds, [.. request.SubscriptionIds!.Distinct()], removals), userIds.Count, ct, exclusiveKey: $"licenses:{customerId:N}")
            is { } job
            ? job
            : Failure.Conflict("Licenses of this customer are being assigned or removed by another action in progress. Try again when it has finished.");
    }

    /// <summary>The subscriptions a refused Subscribe lacks licenses of, with how many; empty when that was not why.</summary>
    public static IReadOnlyList<LicenseShortage> Shortages(Failure? refusal) =>
        refusal?.Extensions?.GetValueOrDefault("shortages") as IReadOnlyList<LicenseShortage> ?? [];

    /// <summary>The seats an Unsubscribe of these users would free inside their 168-hour window, with the refund, for the page to offer.</summary>
    public async Task<IReadOnlyList<SeatsQuote>> FreedSeatsAsync(Guid customerId, LicenseRequest request, CancellationToken ct)
    {
        if (LicenseRules.CheckRequest(request.UserIds, request.SubscriptionIds) is not null)
        {
            return [];
        }
        var loaded = await LoadAsync(customerId, request.SubscriptionIds!, [.. request.UserIds!.Distinct()], ct);
        if (!loaded.Succeeded || !LicenseRules.PlanUnsubscribe([.. request.UserIds!.Distinct()], loaded.Value!.Holders, loaded.Value.Subscriptions).Succeeded)
        {
            return [];
        }
        return await seats.RemoveQuotesAsync(customerId, await seats.PlanRemovalsAsync(customerId, loaded.Value!.Subscriptions, loaded.Value.Holders, ct), ct);
    }

    /// <summary>
    /// One batch of a queued job: the users' license updates, and Skyport's copy of what Partner Center accepted. The free
    /// licenses were counted when the job was queued; a license taken elsewhere since is Partner Center's refusal for that
    /// user. A change that concerns the whole action (the subscription suspended since) fails each user of the batch with it.
    /// </summary>
    public async Task<IReadOnlyList<UserLicenseResult>> RunBatchAsync(
        Guid customerId, IReadOnlyList<Guid> subscriptionIds, IReadOnlyList<Guid> userIds, bool subscribe, CancellationToken ct)
    {
        var loaded = await LoadAsync(customerId, subscriptionIds, userIds, ct);
        if (!loaded.Succeeded)
        {
            return EachFailed(userIds, loaded.Failure!);
        }
        var (tenantId, subscriptions, holders) = loaded.Value!;
        var skus = subscriptions.Select(s => s.SkuId!.Value).Distinct().ToList();
        var plan = subscribe
            ? LicenseRules.PlanSubscribe(userIds, holders, subscriptions, skus.ToDictionary(sku => sku, _ => int.MaxValue))
            : LicenseRules.PlanUnsubscribe(userIds, holders, subscriptions);
        if (!plan.Succeeded)
        {
            return EachFailed(userIds, plan.Failure!);
        }
        var done = await CallPartnerCenterAsync(tenantId, plan.Value!, holders.ToDictionary(h => h.Id), skus, subscribe, subscriptions, ct);
        await StoreAsync(customerId, done, CancellationToken.None);
        var byUser = plan.Value!.Settled.Where(r => !r.Ok).Concat(done.Select(d => d.Result)).ToDictionary(r => r.UserId);
        return [.. userIds.Select(id => byUser[id])];
    }

    /// <summary>The end of a job: the seats it freed are removed when it was asked (a fixed target, so a rerun removes nothing more), then the audit line.</summary>
    public async Task FinishAsync(Guid customerId, LicenseJobRequest request, bool subscribe, IReadOnlyList<UserLicenseResult> results, CancellationToken ct)
    {
        if (request.SeatRemovals is { Count: > 0 } removals)
        {
            await seats.RemoveAsync(customerId, removals, results, ct);
        }
        await RecordAsync(customerId, request.SubscriptionIds ?? [], subscribe, results, ct);
    }

    /// <summary>The audit line of a finished job.</summary>
    private async Task RecordAsync(Guid customerId, IReadOnlyList<Guid> subscriptionIds, bool subscribe, IReadOnlyList<UserLicenseResult> results, CancellationToken ct)
    {
        var names = (await users.LicensedSubscriptionsAsync(customerId, ct)).Where(s => subscriptionIds.Contains(s.Id)).Select(s => s.Name);
        await audit.RecordOnceAsync(customerId, ActionName(subscribe), $"{results.Count(r => r.Ok)} of {results.Count} users", string.Join(", ", names), ct);
    }

    private static string ActionName(bool subscribe) => subscribe ? "Assign subscriptions" : "Unassign subscriptions";

    private static List<UserLicenseResult> EachFailed(IReadOnlyList<Guid> userIds, Failure failure) =>
        [.. userIds.Select(id => new UserLicenseResult(id, null, Ok: false, failure.Errors?.Values.SelectMany(m => m).FirstOrDefault() ?? failure.Detail))];

    private sealed record Loaded(Guid TenantId, IReadOnlyList<LicensedSubscription> Subscriptions, IReadOnlyList<LicenseHolder> Holders);

    private async Task<Outcome<Loaded>> LoadAsync(Guid customerId, IReadOnlyList<Guid> subscriptionIds, IReadOnlyList<Guid> userIds, CancellationToken ct)
    {
        var found = await users.ServiceAsync(customerId, ct);
        if (!found.Succeeded)
        {
            return found.Failure!;
        }
        var wanted = subscriptionIds.Distinct().ToList();
        var subscriptions = (await users.LicensedSubscriptionsAsync(customerId, ct)).Where(s => wanted.Contains(s.Id)).ToList();
        if (wanted.FirstOrDefault(id => subscriptions.All(s => s.Id != id)) is var unknown && unknown != Guid.Empty)
        {
            return Failure.Invalid("subscriptionIds", $"Subscription {unknown} is not a subscription of this customer.");
        }
        return new Loaded(found.Value!.TenantId!.Value, subscriptions, await LoadHoldersAsync(customerId, userIds, ct));
    }

    /// <summary>The subscriptions whose licenses can be assigned, with quantity purchased, consumed and available.</summary>
    public async Task<IReadOnlyList<LicenseOption>> OptionsAsync(
        Guid customerId, ListSubscriptions subscriptions, IReadOnlyList<LicensedSubscription> licensedSubscriptions, CancellationToken ct)
    {
        var listed = await subscriptions.ListAsync(customerId, 1, Paging.MaxSize, ct);
        if (!listed.Succeeded)
        {
            return [];
        }
        var licensed = licensedSubscriptions.Where(s => s.SkuId is not null).Select(s => s.Id).ToHashSet();
        return [.. listed.Value!.Items
            .Where(s => licensed.Contains(s.Id) && s.Status is "active" or "suspended")
            .Select(s => new LicenseOption(
                s.Id, s.FriendlyName is { Length: > 0 } f ? $"{s.Name} ({f})" : s.Name, s.OfferId, s.Status, s.Quantity, s.ConsumedQuantity,
                s.Status == "active" ? Math.Max(0, s.Quantity - s.ConsumedQuantity) : 0,
                s.Status == "suspended" ? "Suspended: activate it to assign its licenses." : null))];
    }

    private async Task<List<LicenseHolder>> LoadHoldersAsync(Guid customerId, IReadOnlyList<Guid> userIds, CancellationToken ct)
    {
        var holders = new List<LicenseHolder>(userIds.Count);
        // In chunks, so that a thousand ids do not make one statement with a thousand parameters.
        foreach (var chunk in userIds.Distinct().Chunk(500))
        {
            holders.AddRange(await db.TenantUsers.AsNoTracking()
                .Where(u => u.OrganizationId == customerId && chunk.Contains(u.Id))
                .Select(u => new LicenseHolder(u.Id, u.UserPrincipalName, u.UsageLocation, u.AssignedSkuIds))
                .ToListAsync(ct));
        }
        return holders;
    }

    private async Task<Dictionary<Guid, int>> AvailableBySkuAsync(Guid tenantId, CancellationToken ct)
    {
        var skus = await partnerCenter.GetSubscribedSkusAsync(tenantId, ct);
        if (!skus.IsSuccess)
        {
            throw new HttpRequestException($"Partner Center refused to list the tenant's licenses: {skus.Error!.Description}");
        }
        return LicenseRules.Assignable(skus.Value!);
    }

    /// <summary>What became of one user: the line to report, and what Skyport learnt of the user's licenses.</summary>
    private sealed record UserDone(UserLicenseResult Result, LicenseChange? Accepted = null, IReadOnlyList<Guid>? ReadBack = null);

    /// <summary>
    /// One license update per user, a few at a time: Partner Center's throttling answers 429 with Retry-After, which the client's
    /// retry honours. A line says ok only when Partner Center has the change: a user Skyport's copy finds with nothing to do is
    /// read back first (the copy may be behind), and after a failed or unanswered update the user's licenses are read back,
    /// since Partner Center may have made the change and lost the answer.
    /// </summary>
    private async Task<List<UserDone>> CallPartnerCenterAsync(
        Guid tenantId, LicensePlan plan, IReadOnlyDictionary<Guid, LicenseHolder> holders, IReadOnlyList<Guid> skus, bool subscribe,
        IReadOnlyList<LicensedSubscription> subscriptions, CancellationToken ct)
    {
        var work = plan.Changes.Select(c => (c.User, Change: (LicenseChange?)c))
            .Concat(plan.Settled.Where(r => r.Ok).Select(r => (User: holders[r.UserId], Change: (LicenseChange?)null)))
            .ToList();
        var results = new System.Collections.Concurrent.ConcurrentBag<UserDone>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, configuration.GetValue("Users:LicenseParallelism", 8)), CancellationToken = ct };
        await Parallel.ForEachAsync(work, parallel, async (item, token) =>
            results.Add(await ForUserAsync(tenantId, item.User, item.Change, skus, subscribe, subscriptions, token)));
        return [.. results];
    }

    private async Task<UserDone> ForUserAsync(
        Guid tenantId, LicenseHolder user, LicenseChange? change, IReadOnlyList<Guid> skus, bool subscribe, IReadOnlyList<LicensedSubscription> subscriptions, CancellationToken ct)
    {
        if (change is null)
        {
            var held = await ReadBackAsync(tenantId, user.Id, ct);
            if (held is null)
            {
                return Failed(user, "Partner Center did not answer, so this user's licenses could not be read back to confirm them. Try again for this user.");
            }
            change = LicenseRules.ChangeFor(user with { SkuIds = [.. held] }, skus, subscribe);
            if (change is null)
            {
                return new UserDone(new UserLicenseResult(user.Id, user.UserPrincipalName, Ok: true), ReadBack: held);
            }
        }
        string failure;
        try
        {
            var updated = await partnerCenter.UpdateLicensesAsync(tenantId, user.Id, change.Assign, change.Remove, ct);
            if (updated.IsSuccess)
            {
                return new UserDone(new UserLicenseResult(user.Id, user.UserPrincipalName, Ok: true), Accepted: change);
            }
            failure = Refusal(updated.Error!, change, subscriptions);
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Partner Center did not answer a license update of user {User}", user.Id);
            failure = "Partner Center did not answer.";
        }
        var after = await ReadBackAsync(tenantId, user.Id, ct);
        if (after is null)
        {
            return Failed(user, $"{failure} This user's licenses could not be read back, so whether the change was made is unknown: the list shows it once Partner Center has it; try again for this user if it is missing.");
        }
        return LicenseRules.Outstanding(after, skus, subscribe).Count == 0
            ? new UserDone(new UserLicenseResult(user.Id, user.UserPrincipalName, Ok: true), ReadBack: after)
            : new UserDone(new UserLicenseResult(user.Id, user.UserPrincipalName, Ok: false, $"{failure} Partner Center does not have the change: try again for this user."), ReadBack: after);
    }

    private static UserDone Failed(LicenseHolder user, string error) => new(new UserLicenseResult(user.Id, user.UserPrincipalName, Ok: false, error));

    /// <summary>The products the user holds in Partner Center now; null when Partner Center does not say.</summary>
    private async Task<IReadOnlyList<Guid>?> ReadBackAsync(Guid tenantId, Guid userId, CancellationToken ct)
    {
        try
        {
            var licenses = await partnerCenter.GetUserLicensesAsync(tenantId, userId, ct);
            return licenses.IsSuccess ? [.. licenses.Value!.Select(l => l.ProductSku.Id).Distinct().Order()] : null;
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Partner Center did not answer reading the licenses of user {User}", userId);
            return null;
        }
    }

    private static string Refusal(PartnerCenterError error, LicenseChange change, IReadOnlyList<LicensedSubscription> subscriptions)
    {
        if (error.Code == "60012")
        {
            var names = subscriptions.Where(s => change.Assign.Contains(s.SkuId!.Value)).Select(s => s.Name).Distinct();
            return $"No license of {string.Join(", ", names)} was free any more when this user's turn came (assigned elsewhere meanwhile). Buy more with Change quantity and try again.";
        }
        return error.HttpStatus == 404
            ? "This user is no longer in the tenant in Partner Center."
            : $"Partner Center refused: {error.Description}";
    }

    /// <summary>Skyport's copy follows what Partner Center accepted or showed when read back; the sync would bring it too, a few seconds later.</summary>
    private async Task StoreAsync(Guid customerId, IReadOnlyList<UserDone> done, CancellationToken ct)
    {
        var byUser = done.Where(d => d.Accepted is not null || d.ReadBack is not null).ToDictionary(d => d.Result.UserId);
        foreach (var chunk in byUser.Keys.Chunk(500))
        {
            for (var attempt = 1; ; attempt++)
            {
                var rows = await db.TenantUsers.Where(u => u.OrganizationId == customerId && chunk.Contains(u.Id)).ToListAsync(ct);
                foreach (var row in rows)
                {
                    var learnt = byUser[row.Id];
                    row.AssignedSkuIds = learnt.ReadBack is { } held
                        ? [.. held]
                        : [.. row.AssignedSkuIds.Except(learnt.Accepted!.Remove).Union(learnt.Accepted.Assign).Distinct().Order()];
                }
                try
                {
                    await db.SaveChangesAsync(ct);
                    break;
                }
                catch (DbUpdateConcurrencyException) when (attempt < 3)
                {
                    // The sync removed one of these users meanwhile: read them again.
                    db.ChangeTracker.Clear();
                }
            }
            db.ChangeTracker.Clear();
        }
    }
}
