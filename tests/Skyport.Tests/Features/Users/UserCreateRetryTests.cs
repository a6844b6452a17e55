using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Users;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Users;

public sealed class UserCreateRetryOnSqlite(SqliteSkyportFastSync app) : UserCreateRetryTests(app), IClassFixture<SqliteSkyportFastSync>;

public sealed class UserCreateRetryOnPostgres(PostgresSkyportFastSync app) : UserCreateRetryTests(app), IClassFixture<PostgresSkyportFastSync>;

/// <summary>
/// Issue 11, defect 3: a create whose answer Partner Center lost answered 503, and the retry answered 409 "user name
/// taken" for the user it had made. The retry must return that user, once, with one email.
/// </summary>
public abstract class UserCreateRetryTests(SkyportApp app) : IAsyncLifetime
{
    // The client's first try and its four retries (PartnerCenter:Resilience:MaxRetryAttempts).
    private const int Attempts = 5;
    private readonly EmulatorControl _emulator = new(app);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _emulator.ClearFaultsAsync();

    private static object NewUser(string userName, string sendTo) => new
    {
        firstName = "Adele",
        lastName = "Vance",
        userName,
        generatePassword = true,
        sendCredentialsTo = sendTo,
    };

    private Task<HttpResponseMessage> SendAsync(TenantCustomer customer, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/customers/{customer.Id}/o365/users") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return app.Broker().SendAsync(request);
    }

    private async Task<IReadOnlyList<JsonNode>> PartnerCenterUsersAsync(TenantCustomer customer, string upn) =>
        [.. (await _emulator.StateAsync())["tenants"]!.AsArray().Single(t => t!["id"]!.GetValue<Guid>() == customer.TenantId)!["users"]!.AsArray()
            .Where(u => u!["userPrincipalName"]!.GetValue<string>() == upn && u["state"]?.GetValue<string>() is null or "active").Select(u => u!)];

    private async Task<bool> ListedAsync(TenantCustomer customer, string upn) =>
        (await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/o365/users?pageSize=500")).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray()
            .Any(u => u!["userPrincipalName"]!.GetValue<string>() == upn);

    private Task<TenantUserCreation?> IntentAsync(string upn) =>
        app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().TenantUserCreations.AsNoTracking().SingleOrDefaultAsync(c => c.UserPrincipalName == upn));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_retry_after_Partner_Center_lost_the_answer_returns_the_created_user_with_one_email(bool withKey)
    {
        var customer = await app.CustomerWithTenantAsync();
        var name = withKey ? "lostkey" : "lostnokey";
        var upn = $"{name}@{customer.Domain}";
        var sendTo = $"{name}-{Guid.NewGuid():N}@northwind.example";
        var key = withKey ? Guid.NewGuid().ToString() : null;
        // Partner Center makes the user, then every answer (the first and the retries' replays) is lost on the way back.
        await _emulator.InjectAsync(new { method = "POST", pathPattern = "/v1/customers/*/users", kind = "drop", rate = 1.0, times = Attempts });

        var failed = await (await SendAsync(customer, NewUser(name, sendTo), key)).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("same request again", failed!["detail"]!.GetValue<string>());
        await _emulator.ClearFaultsAsync();
        var made = Assert.Single(await PartnerCenterUsersAsync(customer, upn));
        Assert.Empty(await app.OutboxToAsync(sendTo));
        // The sync brings the user into Skyport's list: the retry must not take it for someone else's.
        await UsersTestSupport.EventuallyAsync(() => ListedAsync(customer, upn), TimeSpan.FromSeconds(10), "the sync lists the user Partner Center made");

        // The password waits for the retry encrypted, never in clear.
        var waiting = await IntentAsync(upn);
        var stored = waiting!.ProtectedPassword!;
        var password = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Skyport.Users.CreateTenantUser.Password").Unprotect(stored);
        Assert.DoesNotContain(password, stored);

        var created = await (await SendAsync(customer, NewUser(name, sendTo), key)).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(made["id"]!.GetValue<Guid>(), created!["id"]!.GetValue<Guid>());
        Assert.Equal(upn, created["userPrincipalName"]!.GetValue<string>());
        Assert.Equal("Adele Vance", created["displayName"]!.GetValue<string>());
        Assert.Equal("DE", created["usageLocation"]!.GetValue<string>());
        Assert.True(created["accountEnabled"]!.GetValue<bool>());
        Assert.Empty(created["subscriptionIds"]!.AsArray());
        Assert.Single(await PartnerCenterUsersAsync(customer, upn));
        var mail = Assert.Single(await app.OutboxToAsync(sendTo));
        Assert.Equal(password, mail.Line("Temporary password"));
        Assert.True(await _emulator.SignsInAsync(upn, password));
        Assert.Null((await IntentAsync(upn))!.ProtectedPassword);

        if (withKey)
        {
            var replay = await (await SendAsync(customer, NewUser(name, sendTo), key)).ExpectAsync(HttpStatusCode.Created);
            Assert.Equal(created.ToJsonString(), replay!.ToJsonString());
        }
        else
        {
            // Once the first request has finished, the same request without a key is a second user of a taken name.
            await (await SendAsync(customer, NewUser(name, sendTo), null)).ExpectAsync(HttpStatusCode.Conflict);
        }
        Assert.Single(await app.OutboxToAsync(sendTo));
    }

    [Fact]
    public async Task A_retry_after_Partner_Center_failed_before_creating_makes_the_user_once()
    {
        var customer = await app.CustomerWithTenantAsync();
        var upn = $"failed@{customer.Domain}";
        var sendTo = $"failed-{Guid.NewGuid():N}@northwind.example";
        var key = Guid.NewGuid().ToString();
        await _emulator.InjectAsync(new { method = "POST", pathPattern = "/v1/customers/*/users", kind = "error", status = 503, retryAfterSeconds = 0, rate = 1.0, times = Attempts });

        await (await SendAsync(customer, NewUser("failed", sendTo), key)).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Empty(await PartnerCenterUsersAsync(customer, upn));

        var created = await (await SendAsync(customer, NewUser("failed", sendTo), key)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(Assert.Single(await PartnerCenterUsersAsync(customer, upn))["id"]!.GetValue<Guid>(), created!["id"]!.GetValue<Guid>());
        var mail = Assert.Single(await app.OutboxToAsync(sendTo));
        Assert.True(await _emulator.SignsInAsync(upn, mail.Line("Temporary password")));
    }
}
