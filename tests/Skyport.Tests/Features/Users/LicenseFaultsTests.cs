using System.Net;
using System.Text.Json.Nodes;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Users;

public sealed class LicenseFaultsOnSqlite(SqliteSkyportNoSync app) : LicenseFaultsTests(app), IClassFixture<SqliteSkyportNoSync>;

public sealed class LicenseFaultsOnPostgres(PostgresSkyportNoSync app) : LicenseFaultsTests(app), IClassFixture<PostgresSkyportNoSync>;

/// <summary>
/// Issue 11, defect 0: under faults "Unsubscribe" answered 200 for a user whose license Partner Center still held. Every
/// result line must say what Partner Center holds. The user sync is off, so Skyport's copy is only what these calls
/// learnt (as between two sync rounds).
/// </summary>
public abstract class LicenseFaultsTests(SkyportApp app) : IAsyncLifetime
{
    private const int Seed = 20261125;
    private const string LicenseUpdates = "/v1/customers/*/users/*/licenseupdates";
    private readonly EmulatorControl _emulator = new(app);

    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => _emulator.ClearFaultsAsync();

    private async Task<IReadOnlyList<JsonNode>> AssignAsync(TenantCustomer customer, string action, IEnumerable<Guid> users, Guid subscription) =>
        [.. (await app.Broker().RunJobResultsAsync($"/api/v1/customers/{customer.Id}/o365/users/{action}", new { userIds = users, subscriptionIds = new[] { subscription } }))
            .Select(r => r!)];

    /// <summary>The users holding any license in Partner Center itself (the emulator's state).</summary>
    private async Task<HashSet<Guid>> LicensedInPartnerCenterAsync(TenantCustomer customer) =>
        [.. (await _emulator.StateAsync())["tenants"]!.AsArray().Single(t => t!["id"]!.GetValue<Guid>() == customer.TenantId)!["users"]!.AsArray()
            .Where(u => u!["licenses"]!.AsArray().Count > 0).Select(u => u!["id"]!.GetValue<Guid>())];

    private static void AssertEveryLineIsTrue(IReadOnlyList<JsonNode> results, HashSet<Guid> licensed, bool subscribe)
    {
        foreach (var line in results)
        {
            var user = line["userId"]!.GetValue<Guid>();
            var ok = line["ok"]!.GetValue<bool>();
            // A success line means Partner Center has it; a failure line means it does not (or could not be read back, and says so).
            if (ok)
            {
                Assert.True(licensed.Contains(user) == subscribe, $"{(subscribe ? "Subscribe" : "Unsubscribe")} reported {line["userPrincipalName"]} done, but Partner Center {(subscribe ? "does not hold" : "still holds")} the license.");
            }
            else if (licensed.Contains(user) == subscribe)
            {
                Assert.Contains("could not be read back", line["error"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task Under_faults_every_subscribe_and_unsubscribe_line_says_what_Partner_Center_holds()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = (await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/subscriptions", new { offerId = Shop.BusinessBasic, quantity = 40 }))
            .ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>();
        var users = new List<Guid>();
        for (var i = 0; i < 24; i++)
        {
            users.Add(await app.NewUserAsync(customer, $"Faulty{i:D2}"));
        }

        // Every license update fails on each try: some after Partner Center made the change (the answer is lost), some before.
        await _emulator.InjectSeededAsync(Seed,
            new { method = "POST", pathPattern = LicenseUpdates, kind = "drop", rate = 0.12 },
            new { method = "POST", pathPattern = LicenseUpdates, kind = "error", status = 503, retryAfterSeconds = 0, rate = 1.0 });
        var subscribed = await AssignAsync(customer, "subscribe", users, subscription);
        await _emulator.ClearFaultsAsync();
        var licensed = await LicensedInPartnerCenterAsync(customer);
        Assert.NotEmpty(licensed);
        Assert.True(licensed.Count < users.Count, "the seed leaves some users unlicensed");
        AssertEveryLineIsTrue(subscribed, licensed, subscribe: true);

        // Then a fifth of Partner Center's calls fail, as in the soak that found the defect.
        await _emulator.InjectSeededAsync(Seed,
            new { method = "*", pathPattern = "/v1/*", kind = "throttle", rate = 0.05, retryAfterSeconds = 0 },
            new { method = "*", pathPattern = "/v1/*", kind = "error", status = 503, retryAfterSeconds = 0, rate = 0.05 },
            new { method = "*", pathPattern = "/v1/*", kind = "error", status = 500, rate = 0.05 },
            new { method = "*", pathPattern = "/v1/*", kind = "drop", rate = 0.05 });
        var unsubscribed = await AssignAsync(customer, "unsubscribe", users, subscription);
        await _emulator.ClearFaultsAsync();
        AssertEveryLineIsTrue(unsubscribed, await LicensedInPartnerCenterAsync(customer), subscribe: false);

        // Without faults, one more Unsubscribe finishes the job and says so for everyone.
        var finished = await AssignAsync(customer, "unsubscribe", users, subscription);
        Assert.All(finished, line => Assert.True(line["ok"]!.GetValue<bool>(), line.ToJsonString()));
        Assert.Empty(await LicensedInPartnerCenterAsync(customer));
    }
}
