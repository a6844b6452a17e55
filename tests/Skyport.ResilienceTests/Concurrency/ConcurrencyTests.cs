using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Concurrency;

/// <summary>
/// Two clients at once on the same thing. Partner Center answers the contended calls slowly (an injected delay), so the
/// requests really overlap: one wins, the other gets a clear 409/422, and Partner Center ends in step with Skyport, never
/// over-assigned.
/// </summary>
public abstract class ConcurrencyTests(ResilienceRig rig) : IAsyncLifetime
{
    private static readonly string[] Clear = ["409", "422"];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => rig.Emulator.ClearFaultsAsync();

    [Fact]
    public async Task Two_quantity_changes_of_one_subscription_at_once_one_wins_and_Partner_Center_agrees()
    {
        var (customer, tenant, _) = await rig.CustomerWithTenantAsync();
        var subscription = await rig.Api.BuyAsync(customer, Offers.BusinessBasic, 3, rig.Unique("race"));
        await rig.Emulator.InjectAsync([FaultRule.Delay(1, 700, "PATCH", "/v1/customers/*/subscriptions/*")], ResilienceSize.Seed);

        var answers = await AtOnceAsync(
            SkyportApi.ChangeSubscription(customer, subscription, new { quantity = 6 }),
            SkyportApi.ChangeSubscription(customer, subscription, new { quantity = 9 }));

        var won = answers.Where(a => a.Status == 200).ToList();
        var lost = answers.Where(a => a.Status != 200).ToList();
        Assert.True(won.Count == 1 && lost.Count == 1, $"Expected one 200 and one 409: {string.Join(" | ", answers)}");
        AssertClearConflict(lost[0], "409");
        var quantity = won[0].Json["quantity"]!.GetValue<int>();
        var pc = (await rig.Emulator.StateAsync()).Tenant(tenant).Subscriptions.Single();
        var skyport = (await rig.Api.SubscriptionsAsync(customer)).Single()!;
        Assert.Equal(quantity, pc.Quantity);
        Assert.Equal(quantity, skyport["quantity"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_same_user_assigned_the_same_license_twice_at_once_holds_it_once()
    {
        var (customer, tenant, _) = await rig.CustomerWithTenantAsync();
        var subscription = await rig.Api.BuyAsync(customer, Offers.BusinessBasic, 3, rig.Unique("twice"));
        var user = await rig.Api.CreateUserAsync(customer, rig.Unique("u"), $"{rig.Unique("cred")}@contact.example");
        await rig.Emulator.InjectAsync([FaultRule.Delay(1, 400, "POST", "*license*")], ResilienceSize.Seed);

        var answers = await AtOnceAsync(SkyportApi.Subscribe(customer, [user], [subscription]), SkyportApi.Subscribe(customer, [user], [subscription]));

        Assert.All(answers, a => Assert.True(a.Status == 200 || a.Status == 409, $"Expected 200 or a clear 409: {a}"));
        Assert.Contains(answers, a => a.Status == 200 && a.Json.AsArray().All(line => line!["ok"]!.GetValue<bool>()));
        var held = (await rig.Emulator.StateAsync()).Tenant(tenant).ActiveUsers.Single(u => u.Id == user).Licenses
            .Count(l => l == Offers.LicenseSku[Offers.BusinessBasic]);
        Assert.Equal(1, held);
        await rig.Emulator.ClearFaultsAsync();
        var consumed = (await rig.Api.SubscriptionsAsync(customer)).Single()!["consumedQuantity"]!.GetValue<int>();
        Assert.Equal(1, consumed);
    }

    [Fact]
    public async Task Two_assignments_racing_for_the_last_licenses_one_wins_and_Partner_Center_is_never_over_assigned()
    {
        var (customer, tenant, _) = await rig.CustomerWithTenantAsync();
        var subscription = await rig.Api.BuyAsync(customer, Offers.BusinessBasic, 3, rig.Unique("last"));
        var users = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            users.Add(await rig.Api.CreateUserAsync(customer, rig.Unique("u"), $"{rig.Unique("cred")}@contact.example"));
        }
        await rig.Api.ExpectAsync(SkyportApi.Subscribe(customer, [users[0]], [subscription]), 200);
        await rig.Emulator.InjectAsync([FaultRule.Delay(1, 400, "POST", "*license*")], ResilienceSize.Seed);

        // Two licenses are left; each assignment wants both.
        var answers = await AtOnceAsync(
            SkyportApi.Subscribe(customer, [users[1], users[2]], [subscription]),
            SkyportApi.Subscribe(customer, [users[3], users[4]], [subscription]));

        var sku = Offers.LicenseSku[Offers.BusinessBasic];
        var holders = (await rig.Emulator.StateAsync()).Tenant(tenant).ActiveUsers.Count(u => u.Licenses.Contains(sku));
        Assert.True(holders <= 3, $"Partner Center assigned {holders} licenses of a subscription of 3");
        var won = answers.Where(a => a.Status == 200 && a.Json.AsArray().All(line => line!["ok"]!.GetValue<bool>())).ToList();
        Assert.True(won.Count == 1, $"Expected one assignment to win whole: {string.Join(" | ", answers)}");
        var lost = answers.Single(a => !won.Contains(a));
        AssertClearConflict(lost, Clear);
        Assert.Equal(3, holders);
    }

    private static void AssertClearConflict(ApiAnswer answer, params string[] statuses)
    {
        Assert.True(statuses.Contains(answer.Status.ToString()), $"Expected {string.Join("/", statuses)}: {answer}");
        Assert.False(string.IsNullOrWhiteSpace(answer.Json["detail"]?.GetValue<string>()), $"The refusal says why: {answer}");
    }

    /// <summary>Sends both requests at the same moment, each from its own client, once (no retry: the race is the point).</summary>
    private async Task<ApiAnswer[]> AtOnceAsync(ApiRequest first, ApiRequest second)
    {
        var one = rig.NewApi().Client;
        var two = rig.NewApi().Client;
        using var start = new SemaphoreSlim(0, 2);
        var sending = new[] { (one, first), (two, second) }.Select(async pair =>
        {
            await start.WaitAsync();
            return await pair.Item1.SendOnceAsync(pair.Item2);
        }).ToList();
        start.Release(2);
        return await Task.WhenAll(sending);
    }
}

public sealed class SqliteConcurrencyRig() : ResilienceRig(DatabaseKind.Sqlite);

public sealed class PostgresConcurrencyRig() : ResilienceRig(DatabaseKind.Postgres);

public sealed class SqliteConcurrencyTests(SqliteConcurrencyRig rig) : ConcurrencyTests(rig), IClassFixture<SqliteConcurrencyRig>;

public sealed class PostgresConcurrencyTests(PostgresConcurrencyRig rig) : ConcurrencyTests(rig), IClassFixture<PostgresConcurrencyRig>;
