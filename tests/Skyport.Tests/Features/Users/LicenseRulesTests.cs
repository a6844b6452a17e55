using Skyport.Features.Billing.Rating;
using Skyport.Features.Users;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Tests.Features.Users;

public sealed class LicenseRulesTests
{
    private static readonly Guid Basic = Guid.NewGuid();
    private static readonly Guid Standard = Guid.NewGuid();
    private static readonly LicensedSubscription BasicSubscription = new(Guid.NewGuid(), "Business Basic", Basic, SubscriptionStatus.Active);
    private static readonly LicensedSubscription StandardSubscription = new(Guid.NewGuid(), "Business Standard", Standard, SubscriptionStatus.Active);

    private static LicenseHolder User(string name, string? location = "DE", params Guid[] skus) => new(Guid.NewGuid(), $"{name}@contoso.onmicrosoft.com", location, skus);

    [Fact]
    public void Subscribe_assigns_only_the_products_a_user_lacks_and_settles_users_who_have_them_all()
    {
        var fresh = User("fresh");
        var half = User("half", "DE", Basic);
        var full = User("full", "DE", Basic, Standard);

        var plan = LicenseRules.PlanSubscribe([fresh.Id, half.Id, full.Id], [fresh, half, full], [BasicSubscription, StandardSubscription],
            new Dictionary<Guid, int> { [Basic] = 1, [Standard] = 2 });

        Assert.True(plan.Succeeded);
        Assert.Equal([Basic, Standard], plan.Value!.Changes.Single(c => c.User == fresh).Assign);
        Assert.Equal([Standard], plan.Value.Changes.Single(c => c.User == half).Assign);
        Assert.Equal(new UserLicenseResult(full.Id, full.UserPrincipalName, Ok: true), plan.Value.Settled.Single());
    }

    [Theory]
    [InlineData(2, 2, true)]
    [InlineData(2, 1, false)]
    [InlineData(1, 0, false)]
    [InlineData(3, 5, true)]
    public void Subscribe_is_refused_as_a_whole_when_more_users_need_a_license_than_are_free(int users, int free, bool allowed)
    {
        var holders = Enumerable.Range(0, users).Select(i => User($"u{i}")).ToList();

        var plan = LicenseRules.PlanSubscribe([.. holders.Select(h => h.Id)], holders, [BasicSubscription], new Dictionary<Guid, int> { [Basic] = free });

        Assert.Equal(allowed, plan.Succeeded);
        if (!allowed)
        {
            Assert.Equal(FailureKind.RuleRefused, plan.Failure!.Kind);
            Assert.Contains($"{users} {(users == 1 ? "user needs" : "users need")} a license and {free} {(free == 1 ? "is" : "are")} free; buy {users - free} more", plan.Failure.Detail);
            var shortage = Assert.IsType<LicenseShortage>(Assert.Single((IEnumerable<LicenseShortage>)plan.Failure.Extensions!["shortages"]!));
            Assert.Equal(new LicenseShortage(BasicSubscription.Id, "Business Basic", users, free), shortage);
        }
    }

    [Fact]
    public void Users_who_hold_the_license_already_do_not_count_against_the_free_ones()
    {
        var holders = new[] { User("a", "DE", Basic), User("b", "DE", Basic), User("c") };

        var plan = LicenseRules.PlanSubscribe([.. holders.Select(h => h.Id)], holders, [BasicSubscription], new Dictionary<Guid, int> { [Basic] = 1 });

        Assert.True(plan.Succeeded);
        Assert.Single(plan.Value!.Changes);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Suspended, "Business Basic is suspended, so its licenses cannot be assigned. Activate it first.")]
    [InlineData(SubscriptionStatus.Expired, "Business Basic is expired, so its licenses cannot be assigned.")]
    [InlineData(SubscriptionStatus.Cancelled, "Business Basic is cancelled, so its licenses cannot be assigned.")]
    public void A_subscription_that_is_not_active_cannot_be_assigned(SubscriptionStatus status, string message)
    {
        var user = User("a");

        var plan = LicenseRules.PlanSubscribe([user.Id], [user], [BasicSubscription with { Status = status }], new Dictionary<Guid, int> { [Basic] = 5 });

        Assert.Equal(message, plan.Failure!.Detail);
    }

    [Fact]
    public void A_subscription_without_user_licenses_is_refused_both_ways()
    {
        var user = User("a");
        var bare = new LicensedSubscription(Guid.NewGuid(), "Some service", null, SubscriptionStatus.Active);

        Assert.Equal("Some service has no user licenses to assign.", LicenseRules.PlanSubscribe([user.Id], [user], [bare], new Dictionary<Guid, int>()).Failure!.Detail);
        Assert.Equal("Some service has no user licenses to assign.", LicenseRules.PlanUnsubscribe([user.Id], [user], [bare]).Failure!.Detail);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_user_without_usage_location_is_refused_alone_with_the_fix(string? location)
    {
        var nowhere = User("nowhere", location);
        var somewhere = User("somewhere");

        var plan = LicenseRules.PlanSubscribe([nowhere.Id, somewhere.Id], [nowhere, somewhere], [BasicSubscription], new Dictionary<Guid, int> { [Basic] = 1 });

        Assert.True(plan.Succeeded);
        Assert.Equal(somewhere, plan.Value!.Changes.Single().User);
        var refused = plan.Value.Settled.Single();
        Assert.False(refused.Ok);
        Assert.StartsWith("nowhere@contoso.onmicrosoft.com has no usage location", refused.Error);
        Assert.Contains("Set one on the user's Subscriptions page", refused.Error);
    }

    [Fact]
    public void A_user_without_usage_location_who_has_the_license_already_is_fine()
    {
        var user = User("nowhere", null, Basic);

        var plan = LicenseRules.PlanSubscribe([user.Id], [user], [BasicSubscription], new Dictionary<Guid, int>());

        Assert.True(plan.Value!.Settled.Single().Ok);
    }

    [Fact]
    public void Unknown_and_repeated_users_are_reported_once_each()
    {
        var user = User("a");
        var stranger = Guid.NewGuid();

        var plan = LicenseRules.PlanUnsubscribe([user.Id, stranger, user.Id], [user], [BasicSubscription]);

        Assert.Equal("This user is not in the tenant (deleted meanwhile?).", plan.Value!.Settled.Single(r => r.UserId == stranger).Error);
        Assert.Equal([user.Id, stranger], plan.Value.Settled.Select(r => r.UserId));
        Assert.True(plan.Value.Settled[0].Ok);
        Assert.Empty(plan.Value.Changes);
    }

    [Fact]
    public void Unsubscribe_removes_only_what_the_user_holds_and_a_suspended_subscription_can_be_unassigned()
    {
        var both = User("both", "DE", Basic, Standard);
        var basicOnly = User("basic", "DE", Basic);

        var plan = LicenseRules.PlanUnsubscribe([both.Id, basicOnly.Id], [both, basicOnly], [StandardSubscription with { Status = SubscriptionStatus.Suspended }]);

        Assert.Equal([Standard], plan.Value!.Changes.Single().Remove);
        Assert.Equal(both, plan.Value.Changes.Single().User);
        Assert.True(plan.Value.Settled.Single(r => r.UserId == basicOnly.Id).Ok);
    }

    [Theory]
    [InlineData(0, 1, "userIds", "Select at least one user.")]
    [InlineData(1, 0, "subscriptionIds", "Select at least one subscription.")]
    [InlineData(LicenseRules.MaxUsers + 1, 1, "userIds", "At most 5,000 users at a time.")]
    [InlineData(1, LicenseRules.MaxSubscriptions + 1, "subscriptionIds", "At most 50 subscriptions at a time.")]
    public void Requests_name_the_field_that_is_wrong(int users, int subscriptions, string field, string message)
    {
        var failure = LicenseRules.CheckRequest([.. Enumerable.Range(0, users).Select(_ => Guid.NewGuid())], [.. Enumerable.Range(0, subscriptions).Select(_ => Guid.NewGuid())]);

        Assert.Equal(message, Assert.Single(failure!.Errors![field]));
    }

    [Fact]
    public void A_user_shows_every_subscription_of_a_product_it_holds()
    {
        var second = new LicensedSubscription(Guid.NewGuid(), "Business Basic (annual)", Basic, SubscriptionStatus.Active);

        var held = LicenseRules.SubscriptionsHeld([Basic], [BasicSubscription, StandardSubscription, second]);

        Assert.Equal([BasicSubscription.Id, second.Id], held);
    }

    [Fact]
    public void What_Partner_Center_read_back_decides_whether_a_user_is_done_and_which_update_is_left()
    {
        var half = User("half", "DE", Basic);
        IReadOnlyList<Guid> both = [Basic, Standard];

        Assert.Equal([Standard], LicenseRules.Outstanding(half.SkuIds, both, subscribe: true));
        Assert.Equal([Basic], LicenseRules.Outstanding(half.SkuIds, both, subscribe: false));
        Assert.Empty(LicenseRules.Outstanding([Basic, Standard], both, subscribe: true));
        Assert.Empty(LicenseRules.Outstanding([], both, subscribe: false));

        var assign = LicenseRules.ChangeFor(half, both, subscribe: true)!;
        Assert.Equal([Standard], assign.Assign);
        Assert.Empty(assign.Remove);
        var remove = LicenseRules.ChangeFor(half, both, subscribe: false)!;
        Assert.Empty(remove.Assign);
        Assert.Equal([Basic], remove.Remove);
        Assert.Null(LicenseRules.ChangeFor(half, [Basic], subscribe: true));
    }

    [Fact]
    public void Free_licenses_are_enabled_units_minus_consumed_never_the_warning_or_suspended_ones()
    {
        static SubscribedSku Sku(Guid id, int active, int warning, int suspended, int consumed) =>
            new(AvailableUnits: active + warning - consumed, ActiveUnits: active, ConsumedUnits: consumed, SuspendedUnits: suspended,
                TotalUnits: active + warning, WarningUnits: warning, new ProductSku(id, "SKU", "SKU"), "Enabled");

        var free = LicenseRules.Assignable([Sku(Basic, active: 1, warning: 3, suspended: 2, consumed: 1), Sku(Standard, active: 5, warning: 0, suspended: 0, consumed: 2), Sku(Standard, active: 0, warning: 0, suspended: 4, consumed: 0)]);

        Assert.Equal(0, free[Basic]); // Partner Center's availableUnits says 3: the expired subscription's warning units
        Assert.Equal(3, free[Standard]);
        Assert.Equal(0, LicenseRules.Assignable([Sku(Basic, active: 1, warning: 0, suspended: 0, consumed: 2)])[Basic]);
    }
}
