using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Skyport.Data;
using Skyport.PartnerCenter;
using Skyport.PartnerCenterEmulator;

namespace Skyport.Emulator.Tests;

/// <summary>Skyport's side as Skyport registers it: embedded emulator, typed client, Graph factory, followed clock.</summary>
public sealed class SkyportHostFixture : IAsyncLifetime
{
    public WebApplication App { get; private set; } = null!;
    public HttpClient Control { get; } = new();
    public PartnerCenterClient Client => App.Services.GetRequiredService<PartnerCenterClient>();
    public string EmulatorUrl => App.Services.GetRequiredService<EmbeddedEmulator>().BaseUrl;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PartnerCenter:Mode"] = "Embedded",
            ["PartnerCenter:EmulatorStatePath"] = ":memory:",
            ["PartnerCenter:Resilience:RetryDelay"] = "00:00:00.100",
            ["PartnerCenter:Resilience:AttemptTimeout"] = "00:00:05",
        });
        AddDatabase(builder);
        await builder.AddPartnerCenterAsync();
        App = builder.Build();
        await MigrateAsync(App);
        App.Urls.Add("http://127.0.0.1:0");
        await App.StartAsync();
        Control.BaseAddress = new Uri(EmulatorUrl);
    }

    /// <summary>
    /// The database and Data Protection the token provider keeps the App+User grant with (MSAL's cache), as Skyport registers them.
    /// </summary>
    public static void AddDatabase(WebApplicationBuilder builder)
    {
        var file = Path.Combine(Path.GetTempPath(), $"skyport-client-{Guid.NewGuid():N}.db");
        builder.Configuration["ConnectionStrings:Skyport"] = $"Data Source={file};Pooling=false";
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<Skyport.Web.Caller>();
        builder.Services.AddSkyportDatabase(builder.Configuration);
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
    }

    public static async Task MigrateAsync(WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Skyport.Data.SkyportDbContext>().Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        Control.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public Task SetFaultsAsync(object rules) => Control.PutAsJsonAsync("/_emulator/faults", rules);

    public async Task<int> CountTenantsAsync(string domain)
    {
        using var doc = JsonDocument.Parse(await Control.GetStringAsync("/_emulator/state"));
        return doc.RootElement.GetProperty("tenants").EnumerateArray().Count(t => t.GetProperty("domain").GetString() == domain);
    }

    /// <summary>Through Skyport's own client: agreement attested, app consented, GDAP requested, approved as the customer's admin, assigned.</summary>
    public async Task PrepareAsync(Guid customerId)
    {
        (await Client.EnsureCustomerAgreementAsync(customerId, new AgreementContact("Dana", "Scully", "dana@fabrikam.example", null), DateTimeOffset.UtcNow)).Ok.ToString();
        (await Client.EnsureApplicationConsentAsync(customerId)).Ok.ToString();
        var gdap = App.Services.GetRequiredService<DelegatedAdmin>();
        var relationship = (await gdap.CreateAsync("Skyport " + customerId.ToString("N")[..20], customerId, "Fabrikam", default))!;
        await gdap.LockForApprovalAsync(relationship.Id!, default);
        (await Control.PostAsync($"/_emulator/relationships/{relationship.Id}/approve", null)).EnsureSuccessStatusCode();
        await gdap.EnsureAccessAssignedAsync(relationship.Id!, default);
    }

    public static NewCustomer NewCustomer(string domain, string country = "US") =>
        new(domain, "Fabrikam " + domain, "it@fabrikam.example", new CustomerAddress("Dana", "Scully", "1 Main St", null, "Seattle", "WA", "98101", country));
}

[CollectionDefinition(Name)]
public sealed class SkyportHost : ICollectionFixture<SkyportHostFixture>
{
    public const string Name = "Skyport host";
}

[Collection(SkyportHost.Name)]
public sealed class SkyportClientTests(SkyportHostFixture host) : IAsyncLifetime
{
    public Task InitializeAsync() => host.Control.DeleteAsync("/_emulator/faults");
    public Task DisposeAsync() => host.Control.DeleteAsync("/_emulator/faults");

    [Fact]
    public async Task The_typed_client_covers_customers_catalog_orders_subscriptions_users_and_licenses()
    {
        var client = host.Client;
        var domain = EmulatorFixture.UniquePrefix("client") + ".onmicrosoft.com";
        Assert.True(await client.IsDomainAvailableAsync(domain));
        var customer = (await client.CreateCustomerAsync(SkyportHostFixture.NewCustomer(domain))).Ok;
        await host.PrepareAsync(customer.Id);
        Assert.Equal(customer.Id, customer.CompanyProfile.TenantId);
        Assert.Equal("admin", customer.UserCredentials!.UserName);
        Assert.False(await client.IsDomainAvailableAsync(domain));
        var taken = await client.CreateCustomerAsync(SkyportHostFixture.NewCustomer(domain));
        Assert.Equal(409, taken.Error!.HttpStatus);
        Assert.Contains(domain, taken.Error.Description);
        Assert.Equal(domain, (await client.GetCustomerAsync(customer.Id)).Ok.CompanyProfile.Domain);
        Assert.Equal(customer.Id, (await client.FindCustomerByDomainAsync(domain)).Ok!.Id);
        Assert.Null((await client.FindCustomerByDomainAsync("nobody-" + domain)).Ok);
        Assert.Contains("partnerId=", (await client.GetRelationshipRequestUrlAsync()).Ok);

        var first = (await client.ListCustomersAsync(size: 1)).Ok;
        Assert.Single(first.Items);
        if (first.ContinuationToken is not null) Assert.True((await client.ListCustomersAsync(1, first.ContinuationToken)).IsSuccess);

        var missing = await client.GetCustomerAsync(Guid.NewGuid());
        Assert.Equal(404, missing.Error!.HttpStatus);
        Assert.Equal("60003", missing.Error.Code);

        var products = (await client.GetProductsAsync()).Ok;
        Assert.Contains(products, p => p.Title == "Microsoft 365 Business Basic");
        var sku = Assert.Single((await client.GetSkusAsync("CFQ7TTC0LH18")).Ok);
        Assert.Equal(Catalog.BusinessBasicSku, sku.DynamicAttributes!.ProvisioningId);
        var availability = Assert.Single((await client.GetAvailabilitiesAsync("CFQ7TTC0LH18", "0001")).Ok);
        Assert.Equal(Catalog.BusinessBasic, availability.CatalogItemId);
        Assert.Contains((await client.GetAddOnsForAsync("CFQ7TTC0LH18", "0001")).Ok, s => s.ProductId == "CFQ7TTC0LH0T");
        await using (var sheet = (await client.GetPriceSheetAsync("DE")).Ok)
        {
            Assert.Contains(sheet.Rows(), r => r is { ProductId: "CFQ7TTC0LH18", SkuId: "0001", TermDuration: "P1Y", BillingPlan: "Annual", Market: "DE", Currency: "EUR", UnitPrice: 62.4m });
        }
        Assert.Equal("800002", (await client.GetPriceSheetAsync("XX")).Error!.Code);

        var ids = (await client.PurchaseAsync(customer.Id, [new CartLine(Catalog.BusinessBasic, 2, "P1M", "Monthly", "Office")])).Ok;
        var subscriptionId = Assert.Single(ids);
        var addOnIds = (await client.PurchaseAsync(customer.Id, [new CartLine(Catalog.TeamsPhone, 1, "P1M", "Monthly", ParentSubscriptionId: subscriptionId)])).Ok;
        Assert.Equal(addOnIds, (await client.GetSubscriptionAddOnsAsync(customer.Id, subscriptionId)).Ok.Select(s => s.Id));
        Assert.Equal(2, (await client.ListSubscriptionsAsync(customer.Id)).Ok.Count);
        var changed = (await client.UpdateSubscriptionAsync(customer.Id, subscriptionId, new SubscriptionChange(Quantity: 3, FriendlyName: "Office seats"))).Ok;
        Assert.Equal(3, changed.Quantity);
        Assert.Equal("Office seats", (await client.GetSubscriptionAsync(customer.Id, subscriptionId)).Ok.FriendlyName);
        var refused = await client.UpdateSubscriptionAsync(customer.Id, subscriptionId, new SubscriptionChange(Quantity: 301));
        Assert.Equal("800067", refused.Error!.Code);

        var user = (await client.CreateUserAsync(customer.Id, new NewCustomerUser($"kim@{domain}", "Kim Lee", "Kim", "Lee", "US", new PasswordProfile("Secret-pass-42")))).Ok;
        Assert.Equal("active", user.State);
        Assert.Equal(2, (await client.ListUsersAsync(customer.Id)).Ok.Count);
        for (var i = 0; i < 500; i++)
        {
            Assert.True((await client.CreateUserAsync(customer.Id, new NewCustomerUser($"bulk{i}@{domain}", $"Bulk {i}", null, null, null, new PasswordProfile("Secret-pass-42")))).IsSuccess);
        }
        Assert.Equal(502, (await client.ListUsersAsync(customer.Id)).Ok.Select(u => u.Id).Distinct().Count());
        Assert.Equal("Kim A. Lee", (await client.UpdateUserAsync(customer.Id, user.Id, new CustomerUserChange(DisplayName: "Kim A. Lee"))).Ok.DisplayName);
        Assert.True((await client.UpdateLicensesAsync(customer.Id, user.Id, [Catalog.BusinessBasicSku], [])).IsSuccess);
        var units = Assert.Single((await client.GetSubscribedSkusAsync(customer.Id)).Ok, s => s.ProductSku.Id == Catalog.BusinessBasicSku);
        Assert.Equal(1, units.ConsumedUnits);
        Assert.Equal(2, units.AvailableUnits);
        Assert.True((await client.DeleteUserAsync(customer.Id, user.Id)).Ok);
        Assert.Single((await client.ListUsersAsync(customer.Id, deleted: true)).Ok);
        Assert.Equal("active", (await client.UpdateUserAsync(customer.Id, user.Id, new CustomerUserChange(State: "active"))).Ok.State);
        Assert.Equal("Kim A. Lee", (await client.GetUserAsync(customer.Id, user.Id)).Ok.DisplayName);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_after_the_advertised_delay_and_succeeds()
    {
        var domain = EmulatorFixture.UniquePrefix("retry") + ".onmicrosoft.com";
        await host.SetFaultsAsync(new[] { new { method = "POST", pathPattern = "/v1/customers", kind = "throttle", rate = 1.0, retryAfterSeconds = 1, times = 1 } });
        var watch = Stopwatch.StartNew();
        var created = await host.Client.CreateCustomerAsync(SkyportHostFixture.NewCustomer(domain));
        watch.Stop();
        Assert.True(created.IsSuccess);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
        Assert.Equal(1, await host.CountTenantsAsync(domain));
    }

    [Fact]
    public async Task A_dropped_answer_after_a_customer_create_is_retried_with_the_same_MS_RequestId_and_never_makes_two()
    {
        var domain = EmulatorFixture.UniquePrefix("dropped") + ".onmicrosoft.com";
        await host.SetFaultsAsync(new[] { new { method = "POST", pathPattern = "/v1/customers", kind = "drop", rate = 1.0, times = 1 } });
        var created = await host.Client.CreateCustomerAsync(SkyportHostFixture.NewCustomer(domain));
        Assert.True(created.IsSuccess, created.Error?.ToString());
        Assert.Equal(domain, created.Ok.CompanyProfile.Domain);
        Assert.NotNull(created.Ok.UserCredentials);
        Assert.Equal(1, await host.CountTenantsAsync(domain));
    }

    [Fact]
    public async Task Graph_through_the_factory_acts_on_the_tenant_and_the_SDK_honours_Retry_After()
    {
        var domain = EmulatorFixture.UniquePrefix("factory") + ".onmicrosoft.com";
        var customer = (await host.Client.CreateCustomerAsync(SkyportHostFixture.NewCustomer(domain))).Ok;
        await host.PrepareAsync(customer.Id);
        var graph = host.App.Services.GetRequiredService<PartnerCenterGraph>().ForTenant(customer.Id);
        await host.SetFaultsAsync(new[] { new { method = "GET", pathPattern = "/graph/v1.0/users", kind = "throttle", rate = 1.0, retryAfterSeconds = 1, times = 1 } });
        var watch = Stopwatch.StartNew();
        var users = await graph.Users.GetAsync();
        watch.Stop();
        Assert.Equal($"admin@{domain}", Assert.Single(users!.Value!).UserPrincipalName);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Skyports_TimeProvider_follows_the_embedded_emulators_clock()
    {
        var time = host.App.Services.GetRequiredService<TimeProvider>();
        var before = time.GetUtcNow();
        await host.Control.PostAsJsonAsync("/_emulator/clock/advance", new { days = 0, hours = 5 });
        var after = time.GetUtcNow();
        Assert.InRange(after - before, TimeSpan.FromHours(5), TimeSpan.FromHours(5) + TimeSpan.FromSeconds(30));
        using var doc = JsonDocument.Parse(await host.Control.GetStringAsync("/_emulator/clock"));
        Assert.InRange(doc.RootElement.GetProperty("now").GetDateTimeOffset() - time.GetUtcNow(), TimeSpan.FromSeconds(-5), TimeSpan.FromSeconds(5));
    }
}

/// <summary>Remote mode against a standalone emulator: the client works and Skyport's clock follows by polling.</summary>
public sealed class RemoteModeTests
{
    [Fact]
    public async Task Remote_mode_talks_to_a_standalone_emulator_and_follows_its_clock()
    {
        var emulatorTime = new DateTimeOffset(2031, 3, 4, 12, 0, 0, TimeSpan.Zero);
        await using var emulator = EmulatorApp.Create([], new EmulatorOptions { MinimumLogLevel = LogLevel.Warning, InitialClock = emulatorTime, ClientSecret = "remote-secret" });
        emulator.Urls.Add("http://127.0.0.1:0");
        await emulator.StartAsync();
        var url = emulator.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PartnerCenter:Mode"] = "Remote",
            ["PartnerCenter:BaseUrl"] = url,
            ["PartnerCenter:GraphBaseUrl"] = url + "/graph/v1.0",
            ["PartnerCenter:AuthorityUrl"] = url,
            ["PartnerCenter:TenantId"] = EmulatorOptions.DefaultPartnerTenantId.ToString(),
            ["PartnerCenter:ClientSecret"] = "remote-secret",
        });
        SkyportHostFixture.AddDatabase(builder);
        await builder.AddPartnerCenterAsync();
        await using var app = builder.Build();
        await SkyportHostFixture.MigrateAsync(app);

        using (var raw = new HttpClient())
        {
            var wrongSecret = await raw.PostAsync($"{url}/{EmulatorOptions.DefaultPartnerTenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = "skyport", ["client_secret"] = "guess", ["scope"] = PartnerCenterOptions.PartnerCenterScope,
            }));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
            Assert.Contains("invalid_client", await wrongSecret.Content.ReadAsStringAsync());
        }

        var time = app.Services.GetRequiredService<TimeProvider>();
        Assert.IsType<EmulatorClockFollower>(time);
        Assert.InRange(time.GetUtcNow() - emulatorTime, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        var client = app.Services.GetRequiredService<PartnerCenterClient>();
        var domain = EmulatorFixture.UniquePrefix("remote") + ".onmicrosoft.com";
        Assert.True((await client.CreateCustomerAsync(SkyportHostFixture.NewCustomer(domain))).IsSuccess);

        // Webhooks signed by this emulator verify: its address is a trusted certificate host, and its certificate
        // covers its clock (years ahead of real time here).
        Assert.Equal([PartnerCenterOptions.MicrosoftWebhookCertificateHost, new Uri(url).Authority],
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PartnerCenterOptions>>().Value.WebhookCertificateHosts!);
        var body = System.Text.Encoding.UTF8.GetBytes("{\"EventName\":\"test-created\"}");
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary
        {
            ["Authorization"] = "Signature " + emulator.Services.GetRequiredService<Skyport.PartnerCenterEmulator.Webhooks.WebhookSigner>().Sign(body),
            ["X-MS-Certificate-Url"] = url + Skyport.PartnerCenterEmulator.Webhooks.WebhookSigner.CertificatePath,
            ["X-MS-Signature-Algorithm"] = "rsa-sha256",
        };
        Assert.Null(await app.Services.GetRequiredService<PartnerCenterWebhookSignature>().CheckAsync(headers, body, CancellationToken.None));
        await emulator.StopAsync();
    }
}
