using System.Net;
using System.Text.Json.Nodes;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Users;

public sealed class SeatsFollowLicensesApiOnSqlite(SqliteSkyportFastSync app) : SeatsFollowLicensesApiTests(app), IClassFixture<SqliteSkyportFastSync>;

public sealed class SeatsFollowLicensesApiOnPostgres(PostgresSkyportFastSync app) : SeatsFollowLicensesApiTests(app), IClassFixture<PostgresSkyportFastSync>;

/// <summary>"Seats follow licenses": Subscribe with addSeats buys what is missing first; Unsubscribe with removeFreedSeats gives back seats in their window.</summary>
public abstract class SeatsFollowLicensesApiTests(SkyportApp app) : IAsyncLifetime
{
    private readonly EmulatorControl _emulator = new(app);

    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => _emulator.ClearFaultsAsync();

    private static string Users(TenantCustomer c, string rest) => $"/api/v1/customers/{c.Id}/o365/users{rest}";

    private static string Subscription(TenantCustomer c, Guid id) => $"/api/v1/customers/{c.Id}/o365/subscriptions/{id}";

    private async Task<JsonNode> SubscriptionAsync(TenantCustomer customer, Guid id) =>
        (await (await app.Broker().GetAsync(Subscription(customer, id))).ExpectAsync(HttpStatusCode.OK))!;

    private async Task<int> PartnerCenterQuantityAsync(Guid id) =>
        (await _emulator.SubscriptionsAsync()).Single(s => s["id"]!.GetValue<Guid>() == id)["quantity"]!.GetValue<int>();

    [Fact]
    public async Task Subscribe_with_addSeats_buys_the_missing_seats_then_assigns_and_unsubscribe_with_removeFreedSeats_gives_them_back()
    {
        var customer = await app.CustomerWithTenantAsync();
        var id = (await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/subscriptions", new { offerId = Shop.BusinessBasic, quantity = 1 }))
            .ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>();
        var users = new[] { await app.NewUserAsync(customer, "Alma"), await app.NewUserAsync(customer, "Bruno"), await app.NewUserAsync(customer, "Cleo") };

        // Without the option the refusal stands and nothing is bought.
        await (await app.Broker().PostJsonAsync(Users(customer, "/subscribe"), new { userIds = users, subscriptionIds = new[] { id } })).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, await PartnerCenterQuantityAsync(id));

        var subscribed = await app.Broker().RunJobResultsAsync(Users(customer, "/subscribe"), new { userIds = users, subscriptionIds = new[] { id }, addSeats = true });
        Assert.All(subscribed, r => Assert.True(r!["ok"]!.GetValue<bool>(), r!.ToJsonString()));
        Assert.Equal(3, await PartnerCenterQuantityAsync(id));
        var after = await SubscriptionAsync(customer, id);
        Assert.Equal(3, after["quantity"]!.GetValue<int>());
        Assert.Equal(3, after["consumedQuantity"]!.GetValue<int>());

        // Two users leave: their seats were added minutes ago, so both go back; the third user's seat stays.
        var unsubscribed = await app.Broker().RunJobResultsAsync(Users(customer, "/unsubscribe"), new { userIds = users[..2], subscriptionIds = new[] { id }, removeFreedSeats = true });
        Assert.All(unsubscribed, r => Assert.True(r!["ok"]!.GetValue<bool>(), r!.ToJsonString()));
        Assert.Equal(1, await PartnerCenterQuantityAsync(id));
        var reduced = await SubscriptionAsync(customer, id);
        Assert.Equal(1, reduced["quantity"]!.GetValue<int>());
        Assert.Equal(1, reduced["consumedQuantity"]!.GetValue<int>());
    }

    [Fact]
    public async Task Unsubscribe_without_removeFreedSeats_keeps_the_seats_and_seats_outside_their_window_stay()
    {
        var customer = await app.CustomerWithTenantAsync();
        var id = (await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/subscriptions", new { offerId = Shop.BusinessBasic, quantity = 3 }))
            .ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>();
        var users = new[] { await app.NewUserAsync(customer, "Dora"), await app.NewUserAsync(customer, "Emil") };
        await app.Broker().RunJobResultsAsync(Users(customer, "/subscribe"), new { userIds = users, subscriptionIds = new[] { id } });

        await app.Broker().RunJobResultsAsync(Users(customer, "/unsubscribe"), new { userIds = users[..1], subscriptionIds = new[] { id } });
        Assert.Equal(3, await PartnerCenterQuantityAsync(id));

        await _emulator.AdvanceClockAsync(8);
        var late = await app.Broker().RunJobResultsAsync(Users(customer, "/unsubscribe"), new { userIds = users[1..], subscriptionIds = new[] { id }, removeFreedSeats = true });
        Assert.True(late[0]!["ok"]!.GetValue<bool>(), late.ToJsonString());
        Assert.Equal(3, await PartnerCenterQuantityAsync(id));
        Assert.Equal(0, (await SubscriptionAsync(customer, id))["consumedQuantity"]!.GetValue<int>());

        var bad = await (await app.Broker().PostJsonAsync(Users(customer, "/unsubscribe"), new { userIds = Array.Empty<Guid>(), subscriptionIds = new[] { id }, removeFreedSeats = true }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(bad!["errors"]!["userIds"]);
        Assert.Equal(3, await PartnerCenterQuantityAsync(id));
    }
}
