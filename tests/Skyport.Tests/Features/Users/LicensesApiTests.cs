using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Skyport.PartnerCenter;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Users;

public sealed class LicensesApiOnSqlite(SqliteSkyportFastSync app) : LicensesApiTests(app), IClassFixture<SqliteSkyportFastSync>;

public sealed class LicensesApiOnPostgres(PostgresSkyportFastSync app) : LicensesApiTests(app), IClassFixture<PostgresSkyportFastSync>;

public abstract class LicensesApiTests(SkyportApp app) : IAsyncLifetime
{
    private readonly EmulatorControl _emulator = new(app);

    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => _emulator.ClearFaultsAsync();

    private static string Users(TenantCustomer c, string rest = "") => $"/api/v1/customers/{c.Id}/o365/users{rest}";

    private async Task<Guid> BuyAsync(TenantCustomer customer, int quantity, string offerId = Shop.BusinessBasic) =>
        (await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/subscriptions", new { offerId, quantity })).ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>();

    private Task<JsonArray> SubscribeAsync(TenantCustomer customer, IEnumerable<Guid> users, params Guid[] subscriptions) =>
        app.Broker().RunJobResultsAsync(Users(customer, "/subscribe"), new { userIds = users, subscriptionIds = subscriptions });

    private async Task<JsonNode> UserAsync(TenantCustomer customer, Guid id) =>
        (await (await app.Broker().GetAsync(Users(customer, "?pageSize=500"))).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray()
            .Single(u => u!["id"]!.GetValue<Guid>() == id)!;

    private async Task<IReadOnlyList<Guid>> SubscriptionIdsOfAsync(TenantCustomer customer, Guid user) =>
        [.. (await UserAsync(customer, user))["subscriptionIds"]!.AsArray().Select(s => s!.GetValue<Guid>())];

    private async Task<int> ConsumedAsync(TenantCustomer customer, Guid subscription) =>
        (await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/o365/subscriptions/{subscription}")).ExpectAsync(HttpStatusCode.OK))!["consumedQuantity"]!.GetValue<int>();

    /// <summary>The user names holding a license in Partner Center itself (the emulator's state).</summary>
    private async Task<IReadOnlyList<string>> LicensedInPartnerCenterAsync(TenantCustomer customer)
    {
        var tenant = (await _emulator.StateAsync())["tenants"]!.AsArray().Single(t => t!["id"]!.GetValue<Guid>() == customer.TenantId)!;
        return [.. tenant["users"]!.AsArray().Where(u => u!["licenses"]!.AsArray().Count > 0).Select(u => u!["userPrincipalName"]!.GetValue<string>())];
    }

    private static IReadOnlyDictionary<Guid, JsonNode> ByUser(JsonArray results) => results.ToDictionary(r => r!["userId"]!.GetValue<Guid>(), r => r!);

    [Fact]
    public async Task Subscribe_assigns_licenses_to_each_user_in_Partner_Center_the_users_show_the_subscription_and_consumed_units_follow()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 3);
        var adele = await app.NewUserAsync(customer, "Adele");
        var bianca = await app.NewUserAsync(customer, "Bianca");

        var results = await SubscribeAsync(customer, [adele, bianca], subscription);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r!["ok"]!.GetValue<bool>(), r!.ToJsonString()));
        Assert.Equal($"adele@{customer.Domain}", ByUser(results)[adele]["userPrincipalName"]!.GetValue<string>());
        Assert.Equal([subscription], await SubscriptionIdsOfAsync(customer, adele));
        Assert.Equal([subscription], await SubscriptionIdsOfAsync(customer, bianca));
        Assert.Equal(2, await ConsumedAsync(customer, subscription));
        Assert.Equal([$"adele@{customer.Domain}", $"bianca@{customer.Domain}"], (await LicensedInPartnerCenterAsync(customer)).Order());

        // Subscribing again changes nothing and is not an error.
        var again = await SubscribeAsync(customer, [adele], subscription);
        Assert.True(again.Single()!["ok"]!.GetValue<bool>());
        Assert.Equal(2, await ConsumedAsync(customer, subscription));
    }

    [Fact]
    public async Task Unsubscribe_removes_the_license_and_consumed_units_go_down()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 2);
        var adele = await app.NewUserAsync(customer, "Adele");
        var bianca = await app.NewUserAsync(customer, "Bianca");
        await SubscribeAsync(customer, [adele, bianca], subscription);

        var results = await app.Broker().RunJobResultsAsync(Users(customer, "/unsubscribe"), new { userIds = new[] { adele }, subscriptionIds = new[] { subscription } });

        Assert.True(results.Single()!["ok"]!.GetValue<bool>());
        Assert.Empty(await SubscriptionIdsOfAsync(customer, adele));
        Assert.Equal([subscription], await SubscriptionIdsOfAsync(customer, bianca));
        Assert.Equal(1, await ConsumedAsync(customer, subscription));
        Assert.Equal([$"bianca@{customer.Domain}"], await LicensedInPartnerCenterAsync(customer));
    }

    [Fact]
    public async Task More_users_than_free_licenses_is_refused_with_the_numbers_before_anything_is_assigned()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 2);
        var users = new[] { await app.NewUserAsync(customer, "Adele"), await app.NewUserAsync(customer, "Bianca"), await app.NewUserAsync(customer, "Carla") };

        var problem = (await (await app.Broker().PostJsonAsync(Users(customer, "/subscribe"), new { userIds = users, subscriptionIds = new[] { subscription } })).ExpectAsync(HttpStatusCode.UnprocessableEntity))!;

        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("3 users need a license and 2 are free", detail);
        Assert.Contains("buy 1 more", detail);
        var shortage = problem["shortages"]!.AsArray().Single()!;
        Assert.Equal(subscription, shortage["subscriptionId"]!.GetValue<Guid>());
        Assert.Equal(3, shortage["needed"]!.GetValue<int>());
        Assert.Equal(2, shortage["available"]!.GetValue<int>());
        Assert.Empty(await LicensedInPartnerCenterAsync(customer));
        Assert.Equal(0, await ConsumedAsync(customer, subscription));
    }

    [Fact]
    public async Task A_suspended_subscription_cannot_be_assigned_and_the_message_says_why()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 2);
        var adele = await app.NewUserAsync(customer, "Adele");
        await (await app.Broker().PatchAsync($"/api/v1/customers/{customer.Id}/o365/subscriptions/{subscription}", JsonContent.Create(new { status = "suspended" }))).ExpectAsync(HttpStatusCode.OK);

        var problem = (await (await app.Broker().PostJsonAsync(Users(customer, "/subscribe"), new { userIds = new[] { adele }, subscriptionIds = new[] { subscription } })).ExpectAsync(HttpStatusCode.UnprocessableEntity))!;

        Assert.Contains("is suspended, so its licenses cannot be assigned. Activate it first.", problem["detail"]!.GetValue<string>());
        Assert.Empty(await LicensedInPartnerCenterAsync(customer));
    }

    [Fact]
    public async Task A_user_without_usage_location_is_refused_with_the_fix_while_the_others_are_assigned_and_setting_one_lets_it_through()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 3);
        var adele = await app.NewUserAsync(customer, "Adele");
        var made = await app.Services.GetRequiredService<PartnerCenterGraph>().ForTenant(customer.TenantId).Users.PostAsync(new Microsoft.Graph.Models.User
        {
            AccountEnabled = true,
            DisplayName = "No Location",
            MailNickname = "nolocation",
            UserPrincipalName = $"nolocation@{customer.Domain}",
            PasswordProfile = new Microsoft.Graph.Models.PasswordProfile { Password = "Str0ng!Passw0rd" },
        });
        var nowhere = Guid.Parse(made!.Id!);
        await UsersTestSupport.EventuallyAsync(async () => (await (await app.Broker().GetAsync(Users(customer, "?search=nolocation"))).ExpectAsync(HttpStatusCode.OK))!["total"]!.GetValue<int>() == 1,
            TimeSpan.FromSeconds(5), "the user made in Graph is synced");

        var results = ByUser(await SubscribeAsync(customer, [nowhere, adele], subscription));

        Assert.True(results[adele]["ok"]!.GetValue<bool>());
        Assert.False(results[nowhere]["ok"]!.GetValue<bool>());
        Assert.Contains("has no usage location", results[nowhere]["error"]!.GetValue<string>());
        Assert.Contains("Set one on the user's Subscriptions page", results[nowhere]["error"]!.GetValue<string>());
        Assert.Equal([$"adele@{customer.Domain}"], await LicensedInPartnerCenterAsync(customer));

        var invalid = (await (await app.Broker().PatchAsync(Users(customer, $"/{nowhere}"), JsonContent.Create(new { usageLocation = "XX" }))).ExpectAsync(HttpStatusCode.BadRequest))!;
        Assert.NotNull(invalid["errors"]!["usageLocation"]);
        var updated = (await (await app.Broker().PatchAsync(Users(customer, $"/{nowhere}"), JsonContent.Create(new { usageLocation = "fr" }))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal("FR", updated["usageLocation"]!.GetValue<string>());

        var second = await SubscribeAsync(customer, [nowhere], subscription);
        Assert.True(second.Single()!["ok"]!.GetValue<bool>(), second.ToJsonString());
        Assert.Equal(2, await ConsumedAsync(customer, subscription));
    }

    [Fact]
    public async Task Bulk_assignment_survives_throttling_and_server_errors_and_reports_a_user_Partner_Center_never_answered_for()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 10);
        var users = new List<Guid>();
        foreach (var name in new[] { "Adele", "Bianca", "Carla", "Dora", "Emma", "Frida" })
        {
            users.Add(await app.NewUserAsync(customer, name));
        }
        var unlucky = users[^1];
        await _emulator.InjectAsync(
            new { method = "POST", pathPattern = $"/v1/customers/*/users/{unlucky}/licenseupdates", kind = "error", status = 503, rate = 1.0, retryAfterSeconds = 0 },
            new { method = "POST", pathPattern = "/v1/customers/*/users/*/licenseupdates", kind = "throttle", rate = 1.0, retryAfterSeconds = 0, times = 4 },
            new { method = "POST", pathPattern = "/v1/customers/*/users/*/licenseupdates", kind = "error", status = 500, rate = 1.0, retryAfterSeconds = 0, times = 3 });

        var results = ByUser(await SubscribeAsync(customer, users, subscription));

        Assert.Equal(6, results.Count);
        Assert.All(users[..^1], u => Assert.True(results[u]["ok"]!.GetValue<bool>(), results[u].ToJsonString()));
        Assert.False(results[unlucky]["ok"]!.GetValue<bool>());
        Assert.Contains("Partner Center did not answer", results[unlucky]["error"]!.GetValue<string>());
        await _emulator.ClearFaultsAsync();
        Assert.Equal(5, (await LicensedInPartnerCenterAsync(customer)).Count);
        Assert.Equal(5, await ConsumedAsync(customer, subscription));
        Assert.Empty(await SubscriptionIdsOfAsync(customer, unlucky));
    }

    [Fact]
    public async Task A_license_assigned_directly_in_Partner_Center_shows_on_the_user_within_seconds()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 1);
        var adele = await app.NewUserAsync(customer, "Adele");
        var sku = (await app.Services.GetRequiredService<PartnerCenterClient>().GetSubscribedSkusAsync(customer.TenantId)).Value!.Single().ProductSku.Id;

        var assigned = await app.Services.GetRequiredService<PartnerCenterClient>().UpdateLicensesAsync(customer.TenantId, adele, [sku], []);
        Assert.True(assigned.IsSuccess);

        await UsersTestSupport.EventuallyAsync(async () => (await SubscriptionIdsOfAsync(customer, adele)).Contains(subscription),
            TimeSpan.FromSeconds(5), "the license assigned in Partner Center reaches Skyport's user");
    }

    [Fact]
    public async Task Bad_requests_are_refused_field_by_field_and_an_unknown_user_is_reported_for_itself()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 1);
        var adele = await app.NewUserAsync(customer, "Adele");

        var empty = (await (await app.Broker().PostJsonAsync(Users(customer, "/subscribe"), new { userIds = Array.Empty<Guid>(), subscriptionIds = Array.Empty<Guid>() })).ExpectAsync(HttpStatusCode.BadRequest))!;
        Assert.Equal("Select at least one user.", empty["errors"]!["userIds"]![0]!.GetValue<string>());
        Assert.Equal("Select at least one subscription.", empty["errors"]!["subscriptionIds"]![0]!.GetValue<string>());

        var foreign = Guid.NewGuid();
        var unknownSubscription = (await (await app.Broker().PostJsonAsync(Users(customer, "/unsubscribe"), new { userIds = new[] { adele }, subscriptionIds = new[] { foreign } })).ExpectAsync(HttpStatusCode.BadRequest))!;
        Assert.Contains(foreign.ToString(), unknownSubscription["errors"]!["subscriptionIds"]![0]!.GetValue<string>());

        var stranger = Guid.NewGuid();
        var results = ByUser(await SubscribeAsync(customer, [adele, stranger], subscription));
        Assert.True(results[adele]["ok"]!.GetValue<bool>());
        Assert.False(results[stranger]["ok"]!.GetValue<bool>());
        Assert.Equal("This user is not in the tenant (deleted meanwhile?).", results[stranger]["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_reseller_cannot_assign_or_unassign_licenses_of_this_customer()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 1);
        var adele = await app.NewUserAsync(customer, "Adele");
        var other = await app.AnotherResellerAsync();

        foreach (var action in new[] { "/subscribe", "/unsubscribe" })
        {
            await (await other.PostJsonAsync(Users(customer, action), new { userIds = new[] { adele }, subscriptionIds = new[] { subscription } })).ExpectAsync(HttpStatusCode.NotFound);
        }
        await (await other.PatchAsync(Users(customer, $"/{adele}"), JsonContent.Create(new { usageLocation = "FR" }))).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Empty(await LicensedInPartnerCenterAsync(customer));
    }
}
