using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.Features.Subscriptions;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Users;

public sealed record LicenseRequest(IReadOnlyList<Guid>? UserIds, IReadOnlyList<Guid>? SubscriptionIds);

/// <summary>A subscription offered in the "Assign subscriptions" dialog, with its licenses as Partner Center counts them.</summary>
public sealed record LicenseOption(Guid Id, string Name, string OfferId, string Status, int Quantity, int Consumed, int Available, string? CannotAssign);

/// <summary>
/// "Subscribe" and "Unsubscribe": assigns or removes the licenses of subscriptions for many users. The rules decide first
/// (<see cref="LicenseRules"/>); then one Partner Center license update per user, several at a time, and Skyport's copy of
/// each user that Partner Center accepted. Consumed units are Partner Center's own count, so they follow by themselves.
/// </summary>
public sealed class AssignLicenses(
    SkyportDbContext db, TenantUsers users, PartnerCenterClient partnerCenter, AuditLog audit, IConfiguration configuration,
    ILogger<AssignLicenses> logger)
{
    public Task<Outcome<IReadOnlyList<UserLicenseResult>>> SubscribeAsync(Guid customerId, LicenseRequest request, CancellationToken ct) =>
        RunAsync(customerId, request, subscribe: true, ct);

    public Task<Outcome<IReadOnlyList<UserLicenseResult>>> UnsubscribeAsync(Guid customerId, LicenseRequest request, CancellationToken ct) =>
        RunAsync(customerId, request, subscribe: false, ct);

    /// <summary>The subscriptions whose licenses can be assigned, with quantity purchased, consumed and available.</summary>
    public async Task<IReadOnlyList<LicenseOption>> OptionsAsync(
        Guid customerId, SubscriptionService subscriptions, IReadOnlyList<LicensedSubscription> licensedSubscriptions, CancellationToken ct)
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

    private async Task<Outcome<IReadOnlyList<UserLicenseResult>>> RunAsync(Guid customerId, LicenseRequest request, bool subscribe, CancellationToken ct)
    {
        if (LicenseRules.CheckRequest(request.UserIds, request.SubscriptionIds) is { } invalid)
        {
            return invalid;
        }
        var found = await users.ServiceAsync(customerId, ct);
        if (!found.Succeeded)
        {
            return found.Failure!;
        }
        var tenantId = found.Value!.TenantId!.Value;
        var wanted = request.SubscriptionIds!.Distinct().ToList();
        var subscriptions = (await users.LicensedSubscriptionsAsync(customerId, ct)).Where(s => wanted.Contains(s.Id)).ToList();
        if (wanted.FirstOrDefault(id => subscriptions.All(s => s.Id != id)) is var unknown && unknown != Guid.Empty)
        {
            return Failure.Invalid("subscriptionIds", $"Subscription {unknown} is not a subscription of this customer.");
        }
        var userIds = request.UserIds!;
        var holders = await LoadHoldersAsync(customerId, userIds, ct);

        Outcome<LicensePlan> plan;
        if (subscribe)
        {
            Dictionary<Guid, int> available;
            try
            {
                available = await AvailableBySkuAsync(tenantId, ct);
            }
            catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Partner Center did not answer reading the licenses of customer {Customer}", customerId);
                return Failure.UpstreamFailed("Partner Center did not answer, so the free licenses are unknown. Nothing was assigned; try again.");
            }
            plan = LicenseRules.PlanSubscribe(userIds, holders, subscriptions, available);
        }
        else
        {
            plan = LicenseRules.PlanUnsubscribe(userIds, holders, subscriptions);
        }
        if (!plan.Succeeded)
        {
            await audit.RecordAsync(customerId, subscribe ? "Assign subscriptions" : "Unassign subscriptions", "refused", plan.Failure!.Detail, ct);
            return plan.Failure!;
        }

        var done = await CallPartnerCenterAsync(tenantId, plan.Value!.Changes, subscriptions, ct);
        await StoreAsync(customerId, plan.Value.Changes, done, CancellationToken.None);
        var byUser = plan.Value.Settled.Concat(done).ToDictionary(r => r.UserId);
        List<UserLicenseResult> results = [.. userIds.Distinct().Select(id => byUser[id])];
        var names = string.Join(", ", subscriptions.Select(s => s.Name));
        await audit.RecordAsync(customerId, subscribe ? "Assign subscriptions" : "Unassign subscriptions",
            $"{results.Count(r => r.Ok)} of {results.Count} users", names, CancellationToken.None);
        return results;
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
        return skus.Value!.GroupBy(s => s.ProductSku.Id).ToDictionary(g => g.Key, g => g.Sum(s => s.AvailableUnits));
    }

    /// <summary>One license update per user, a few at a time: Partner Center's throttling answers 429 with Retry-After, which the client's retry honours.</summary>
    private async Task<List<UserLicenseResult>> CallPartnerCenterAsync(
        Guid tenantId, IReadOnlyList<LicenseChange> changes, IReadOnlyList<LicensedSubscription> subscriptions, CancellationToken ct)
    {
        var results = new System.Collections.Concurrent.ConcurrentBag<UserLicenseResult>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, configuration.GetValue("Users:LicenseParallelism", 8)), CancellationToken = ct };
        await Parallel.ForEachAsync(changes, parallel, async (change, token) =>
        {
            var user = change.User;
            try
            {
                var updated = await partnerCenter.UpdateLicensesAsync(tenantId, user.Id, change.Assign, change.Remove, token);
                results.Add(updated.IsSuccess
                    ? new UserLicenseResult(user.Id, user.UserPrincipalName, Ok: true)
                    : new UserLicenseResult(user.Id, user.UserPrincipalName, Ok: false, Refusal(updated.Error!, change, subscriptions)));
            }
            catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !token.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Partner Center did not answer a license update of user {User}", user.Id);
                results.Add(new UserLicenseResult(user.Id, user.UserPrincipalName, Ok: false,
                    "Partner Center did not answer. The list shows this user's licenses once Partner Center has them; try again for this user if they are missing."));
            }
        });
        return [.. results];
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

    /// <summary>Skyport's copy follows what Partner Center accepted; the sync would bring it too, a few seconds later.</summary>
    private async Task StoreAsync(Guid customerId, IReadOnlyList<LicenseChange> changes, IReadOnlyList<UserLicenseResult> done, CancellationToken ct)
    {
        var accepted = done.Where(r => r.Ok).Select(r => r.UserId).ToHashSet();
        var byUser = changes.Where(c => accepted.Contains(c.User.Id)).ToDictionary(c => c.User.Id);
        foreach (var chunk in byUser.Keys.Chunk(500))
        {
            for (var attempt = 1; ; attempt++)
            {
                var rows = await db.TenantUsers.Where(u => u.OrganizationId == customerId && chunk.Contains(u.Id)).ToListAsync(ct);
                foreach (var row in rows)
                {
                    var change = byUser[row.Id];
                    row.AssignedSkuIds = [.. row.AssignedSkuIds.Except(change.Remove).Union(change.Assign).Distinct().Order()];
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
