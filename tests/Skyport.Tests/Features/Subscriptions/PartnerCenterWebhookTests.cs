using System.Net;
using System.Text;
using Skyport.Features.Subscriptions;
using Skyport.PartnerCenter;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Subscriptions;

public sealed class PartnerCenterWebhookOnSqlite(SqliteSkyport app) : PartnerCenterWebhookTests(app), IClassFixture<SqliteSkyport>;

public sealed class PartnerCenterWebhookOnPostgres(PostgresSkyport app) : PartnerCenterWebhookTests(app), IClassFixture<PostgresSkyport>;

/// <summary>The webhook endpoint acts only on what Partner Center signed: what reaches the reconcile queue.</summary>
public abstract class PartnerCenterWebhookTests(SkyportApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Url(Guid customer) => $"/api/v1/customers/{customer}/o365/subscriptions";

    private async Task<(Guid Customer, Guid Tenant, Guid Subscription)> SubscriptionChangedInPartnerCenterAsync(int quantity)
    {
        var (customer, tenant, _) = await app.CustomerWithTenantAsync();
        var bought = (await (await app.Broker().PostJsonAsync(Url(customer), new { offerId = Shop.BusinessBasic, quantity = 2 })).ExpectAsync(HttpStatusCode.Created))!;
        var id = bought["id"]!.GetValue<Guid>();
        await app.InScopeAsync(async s =>
            (await s.GetRequiredService<PartnerCenterClient>().UpdateSubscriptionAsync(tenant, id, new SubscriptionChange(Quantity: quantity))).Ok);
        return (customer, tenant, id);
    }

    private async Task<int> QuantityInSkyportAsync(Guid customer) =>
        (await (await app.Broker().GetAsync(Url(customer))).ExpectAsync(HttpStatusCode.OK))!["items"]![0]!["quantity"]!.GetValue<int>();

    [Fact]
    public async Task Anonymous_and_badly_signed_events_are_refused_with_401_and_queue_no_reconcile()
    {
        await using var receiver = await (await WebhookReceiver.StartAsync()).RegisterWithEmulatorAsync(app);
        var forged = await SubscriptionChangedInPartnerCenterAsync(quantity: 4);
        var forgedEvent = $$"""{"EventName":"subscription-updated","ResourceUri":"https://api.partnercenter.microsoft.com/webhooks/v1/customers/{{forged.Tenant}}/subscriptions/{{forged.Subscription}}"}""";

        var anonymous = await app.Anonymous().PostAsync(SubscriptionSync.WebhookPath, new StringContent(forgedEvent, Encoding.UTF8, "application/json"));
        Assert.Equal("Signature", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Contains("no Partner Center signature", (await anonymous.ExpectAsync(HttpStatusCode.Unauthorized))!["detail"]!.GetValue<string>());

        // A real delivery's headers over another body: the signature does not match it.
        var real = await receiver.DeliveryAsync($"/customers/{forged.Tenant}/subscriptions/{forged.Subscription}");
        var tampered = await app.Anonymous().SendAsync(real.ToSkyport(Encoding.UTF8.GetBytes(forgedEvent)));
        Assert.Contains("does not match", (await tampered.ExpectAsync(HttpStatusCode.Unauthorized))!["detail"]!.GetValue<string>());

        // Reconciles run one after another in the order queued: once a later, genuine event's tenant is reconciled,
        // a reconcile queued by the refused events would have run too.
        var genuine = await SubscriptionChangedInPartnerCenterAsync(quantity: 3);
        var delivery = await receiver.DeliveryAsync($"/customers/{genuine.Tenant}/subscriptions/{genuine.Subscription}");
        await (await app.Anonymous().SendAsync(delivery.ToSkyport())).ExpectAsync(HttpStatusCode.OK);
        for (var attempt = 0; attempt < 50 && await QuantityInSkyportAsync(genuine.Customer) != 3; attempt++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(3, await QuantityInSkyportAsync(genuine.Customer));
        Assert.Equal(2, await QuantityInSkyportAsync(forged.Customer));
    }
}
