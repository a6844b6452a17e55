using Skyport.Features.Billing.Rating;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Users;

/// <summary>A subscription as license assignment sees it: Microsoft assigns licenses by product (SKU), not by subscription.</summary>
public sealed record LicensedSubscription(Guid Id, string Name, Guid? SkuId, SubscriptionStatus Status);

/// <summary>A tenant user and the products it holds a license of.</summary>
public sealed record LicenseHolder(Guid Id, string UserPrincipalName, string? UsageLocation, IReadOnlyCollection<Guid> SkuIds);

/// <summary>Licenses to add to and remove from one user, in one call to Partner Center.</summary>
public sealed record LicenseChange(LicenseHolder User, IReadOnlyList<Guid> Assign, IReadOnlyList<Guid> Remove);

/// <summary>What happened to one user of a bulk action.</summary>
public sealed record UserLicenseResult(Guid UserId, string? UserPrincipalName, bool Ok, string? Error = null);

/// <summary>The calls to make, and the users already settled without one (nothing to do, or refused on their own).</summary>
public sealed record LicensePlan(IReadOnlyList<LicenseChange> Changes, IReadOnlyList<UserLicenseResult> Settled);

/// <summary>A product that has fewer free licenses than the users who need one.</summary>
public sealed record LicenseShortage(Guid SubscriptionId, string Name, int Needed, int Available);

/// <summary>
/// Which users get or lose which licenses. Refusals that concern the whole action (a suspended subscription, too few free
/// licenses) come before anything is assigned; those that concern one user (no usage location, not in the tenant) are
/// reported for that user while the others go ahead.
/// </summary>
public static class LicenseRules
{
    public const int MaxUsers = 5_000;
    public const int MaxSubscriptions = 50;

    /// <summary>
    /// Free licenses per SKU: enabled units minus consumed ones. Not Partner Center's <c>availableUnits</c>, which counts
    /// the <c>warning</c> units of an expired subscription (its grace period) that Microsoft does not let anyone assign.
    /// </summary>
    public static Dictionary<Guid, int> Assignable(IEnumerable<SubscribedSku> skus) =>
        skus.GroupBy(s => s.ProductSku.Id).ToDictionary(g => g.Key, g => Math.Max(0, g.Sum(s => s.ActiveUnits) - g.Sum(s => s.ConsumedUnits)));

    public static Failure? CheckRequest(IReadOnlyList<Guid>? userIds, IReadOnlyList<Guid>? subscriptionIds)
    {
        var errors = new Dictionary<string, string[]>();
        if (userIds is not { Count: > 0 })
        {
            errors["userIds"] = ["Select at least one user."];
        }
        else if (userIds.Count > MaxUsers)
        {
            errors["userIds"] = [$"At most {MaxUsers:N0} users at a time."];
        }
        else if (userIds.Contains(Guid.Empty))
        {
            errors["userIds"] = ["A user id is empty."];
        }
        if (subscriptionIds is not { Count: > 0 })
        {
            errors["subscriptionIds"] = ["Select at least one subscription."];
        }
        else if (subscriptionIds.Count > MaxSubscriptions)
        {
            errors["subscriptionIds"] = [$"At most {MaxSubscriptions} subscriptions at a time."];
        }
        return errors.Count > 0 ? Failure.Invalid(errors) : null;
    }

    public static Outcome<LicensePlan> PlanSubscribe(
        IReadOnlyList<Guid> userIds, IReadOnlyList<LicenseHolder> users, IReadOnlyList<LicensedSubscription> subscriptions,
        IReadOnlyDictionary<Guid, int> availableBySku)
    {
        if (WithoutLicenses(subscriptions) is { } none)
        {
            return none;
        }
        if (subscriptions.FirstOrDefault(s => s.Status != SubscriptionStatus.Active) is { } inactive)
        {
            return Failure.RuleRefused(inactive.Status == SubscriptionStatus.Suspended
                ? $"{inactive.Name} is suspended, so its licenses cannot be assigned. Activate it first."
                : $"{inactive.Name} is {SubscriptionText(inactive.Status)}, so its licenses cannot be assigned.");
        }
        var skus = subscriptions.Select(s => s.SkuId!.Value).Distinct().ToList();
        var (changes, settled) = Plan(userIds, users, user =>
        {
            var missing = Outstanding(user.SkuIds, skus, subscribe: true);
            if (missing.Count == 0)
            {
                return Done(user);
            }
            if (string.IsNullOrWhiteSpace(user.UsageLocation))
            {
                return new UserLicenseResult(user.Id, user.UserPrincipalName, Ok: false,
                    $"{user.UserPrincipalName} has no usage location, which Microsoft needs before it assigns a license. Set one on the user's Subscriptions page (or PATCH usageLocation) and try again.");
            }
            return new LicenseChange(user, missing, []);
        });
        var shortages = skus
            .Select(sku => new
            {
                Subscription = subscriptions.First(s => s.SkuId == sku),
                Needed = changes.Count(c => c.Assign.Contains(sku)),
                Available = availableBySku.GetValueOrDefault(sku),
            })
            .Where(x => x.Needed > x.Available)
            .Select(x => new LicenseShortage(x.Subscription.Id, x.Subscription.Name, x.Needed, x.Available))
            .ToList();
        if (shortages.Count > 0)
        {
            var text = string.Join(" ", shortages.Select(s =>
                $"{s.Name}: {s.Needed} {(s.Needed == 1 ? "user needs" : "users need")} a license and {s.Available} {(s.Available == 1 ? "is" : "are")} free; buy {s.Needed - s.Available} more with Change quantity, or select fewer users."));
            return Failure.RuleRefused($"Not enough free licenses, so nothing was assigned. {text}")
                with { Extensions = new Dictionary<string, object?> { ["shortages"] = shortages } };
        }
        return new LicensePlan(changes, settled);
    }

    public static Outcome<LicensePlan> PlanUnsubscribe(
        IReadOnlyList<Guid> userIds, IReadOnlyList<LicenseHolder> users, IReadOnlyList<LicensedSubscription> subscriptions)
    {
        if (WithoutLicenses(subscriptions) is { } none)
        {
            return none;
        }
        var skus = subscriptions.Select(s => s.SkuId!.Value).Distinct().ToList();
        var (changes, settled) = Plan(userIds, users, user => ChangeFor(user, skus, subscribe: false) is { } change ? change : Done(user));
        return new LicensePlan(changes, settled);
    }

    /// <summary>The products a user still lacks (subscribe) or still holds (unsubscribe): none left means the action is done for the user.</summary>
    public static IReadOnlyList<Guid> Outstanding(IReadOnlyCollection<Guid> held, IReadOnlyList<Guid> skus, bool subscribe) =>
        [.. skus.Where(sku => held.Contains(sku) != subscribe)];

    /// <summary>The license update that completes the action for a user as it stands (read from Partner Center); null when nothing is left.</summary>
    public static LicenseChange? ChangeFor(LicenseHolder user, IReadOnlyList<Guid> skus, bool subscribe)
    {
        var outstanding = Outstanding(user.SkuIds, skus, subscribe);
        return outstanding.Count == 0 ? null : subscribe ? new LicenseChange(user, outstanding, []) : new LicenseChange(user, [], outstanding);
    }

    /// <summary>The subscriptions whose product the user holds a license of, whichever of them the license was counted from.</summary>
    public static IReadOnlyList<Guid> SubscriptionsHeld(IReadOnlyCollection<Guid> skuIds, IReadOnlyList<LicensedSubscription> subscriptions) =>
        [.. subscriptions.Where(s => s.SkuId is { } sku && skuIds.Contains(sku)).Select(s => s.Id)];

    private static Failure? WithoutLicenses(IReadOnlyList<LicensedSubscription> subscriptions) =>
        subscriptions.FirstOrDefault(s => s.SkuId is null) is { } bare
            ? Failure.RuleRefused($"{bare.Name} has no user licenses to assign.")
            : null;

    /// <summary>Each user once, in the order asked: a call to make, or a result without one.</summary>
    private static (List<LicenseChange> Changes, List<UserLicenseResult> Settled) Plan(
        IReadOnlyList<Guid> userIds, IReadOnlyList<LicenseHolder> users, Func<LicenseHolder, Decision> decide)
    {
        var byId = users.ToDictionary(u => u.Id);
        var changes = new List<LicenseChange>();
        var settled = new List<UserLicenseResult>();
        foreach (var id in userIds.Distinct())
        {
            var decision = byId.TryGetValue(id, out var user) ? decide(user) : NotInTenant(id);
            if (decision.Change is { } change)
            {
                changes.Add(change);
            }
            else
            {
                settled.Add(decision.Result!);
            }
        }
        return (changes, settled);
    }

    /// <summary>Either a license update to send, or the user's result already.</summary>
    private readonly record struct Decision(LicenseChange? Change, UserLicenseResult? Result)
    {
        public static implicit operator Decision(LicenseChange change) => new(change, null);
        public static implicit operator Decision(UserLicenseResult result) => new(null, result);
    }

    private static UserLicenseResult Done(LicenseHolder user) => new(user.Id, user.UserPrincipalName, Ok: true);

    private static UserLicenseResult NotInTenant(Guid id) =>
        new(id, null, Ok: false, "This user is not in the tenant (deleted meanwhile?).");

    private static string SubscriptionText(SubscriptionStatus status) => status.ToString().ToLowerInvariant();
}
