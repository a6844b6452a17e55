using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Users;
using Skyport.PartnerCenter;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Users;

public sealed class UsersApiOnSqlite(SqliteSkyportFastSync app) : UsersApiTests(app), IClassFixture<SqliteSkyportFastSync>;

public sealed class UsersApiOnPostgres(PostgresSkyportFastSync app) : UsersApiTests(app), IClassFixture<PostgresSkyportFastSync>;

public abstract class UsersApiTests(SkyportApp app)
{
    private static readonly TimeSpan SyncDeadline = TimeSpan.FromSeconds(5);
    private readonly EmulatorControl _emulator = new(app);

    private static object NewUser(string userName, string? password = null, string? usageLocation = null, string sendTo = "it@northwind.example") => new
    {
        firstName = "Adele",
        lastName = "Vance",
        userName,
        usageLocation,
        generatePassword = password is null,
        password,
        sendCredentialsTo = sendTo,
    };

    private async Task<JsonArray> ListAsync(TenantCustomer customer, string query = "")
    {
        var page = await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/o365/users{query}")).ExpectAsync(HttpStatusCode.OK);
        return page!["items"]!.AsArray();
    }

    private async Task<IReadOnlyList<string>> UserNamesAsync(TenantCustomer customer) =>
        [.. (await ListAsync(customer, "?pageSize=500")).Select(u => u!["userPrincipalName"]!.GetValue<string>())];

    [Fact]
    public async Task A_user_with_a_generated_password_exists_in_partner_center_is_listed_and_gets_working_credentials_by_email()
    {
        var customer = await app.CustomerWithTenantAsync();
        var sendTo = $"it-{Guid.NewGuid():N}@northwind.example";

        var created = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", NewUser("Adele.Vance", sendTo: sendTo))).ExpectAsync(HttpStatusCode.Created);

        var upn = $"adele.vance@{customer.Domain}";
        Assert.Equal(upn, created!["userPrincipalName"]!.GetValue<string>());
        Assert.Equal("Adele Vance", created["displayName"]!.GetValue<string>());
        Assert.Equal("DE", created["usageLocation"]!.GetValue<string>());
        Assert.True(created["accountEnabled"]!.GetValue<bool>());
        Assert.Empty(created["subscriptionIds"]!.AsArray());
        var state = await _emulator.StateAsync();
        var tenant = state["tenants"]!.AsArray().Single(t => t!["id"]!.GetValue<Guid>() == customer.TenantId)!;
        Assert.Contains(tenant["users"]!.AsArray(), u => u!["userPrincipalName"]!.GetValue<string>() == upn);

        var listed = (await ListAsync(customer)).Single(u => u!["userPrincipalName"]!.GetValue<string>() == upn)!;
        Assert.Equal(created["id"]!.GetValue<Guid>(), listed["id"]!.GetValue<Guid>());
        Assert.Equal("Adele", listed["firstName"]!.GetValue<string>());
        Assert.Equal("Vance", listed["lastName"]!.GetValue<string>());

        var mail = Assert.Single(await app.OutboxToAsync(sendTo));
        Assert.Equal(upn, mail.Line("Sign-in name"));
        var password = mail.Line("Temporary password");
        Assert.Empty(PasswordPolicy.Check(password, upn, "Adele", "Vance"));
        Assert.True(await _emulator.SignsInAsync(upn, password));
    }

    [Fact]
    public async Task The_admin_user_made_at_onboarding_is_listed()
    {
        var customer = await app.CustomerWithTenantAsync();
        await UsersTestSupport.EventuallyAsync(async () => (await UserNamesAsync(customer)).Contains($"test@{customer.Domain}"), SyncDeadline, "the admin user is synced");
    }

    [Fact]
    public async Task A_chosen_password_is_checked_and_every_broken_rule_is_named()
    {
        var customer = await app.CustomerWithTenantAsync();

        var problem = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", NewUser("avance", password: "adele"))).ExpectAsync(HttpStatusCode.BadRequest);

        var messages = problem!["errors"]!["password"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Contains("Use at least 8 characters.", messages);
        Assert.Contains("Add an upper-case letter.", messages);
        Assert.Contains("Add a digit.", messages);
        Assert.Contains("Add a symbol such as ! # $ % or &.", messages);
        Assert.Contains("Do not use \"Adele\", a part of the name, in the password.", messages);
        Assert.DoesNotContain($"avance@{customer.Domain}", await UserNamesAsync(customer));

        var good = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", NewUser("avance", password: "Blue-Sky-42!"))).ExpectAsync(HttpStatusCode.Created);
        Assert.True(await _emulator.SignsInAsync(good!["userPrincipalName"]!.GetValue<string>(), "Blue-Sky-42!"));
    }

    [Fact]
    public async Task Bad_fields_are_named_and_a_taken_user_name_is_a_conflict()
    {
        var customer = await app.CustomerWithTenantAsync();
        var bad = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", new
        {
            firstName = "",
            lastName = "Vance",
            userName = "has space",
            usageLocation = "XX",
            generatePassword = true,
            sendCredentialsTo = "not-an-email",
        })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["firstName", "sendCredentialsTo", "usageLocation", "userName"], bad!["errors"]!.AsObject().Select(e => e.Key).Order());

        await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", NewUser("dup"))).ExpectAsync(HttpStatusCode.Created);
        var conflict = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", NewUser("DUP"))).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("userName", conflict!["errors"]!.AsObject().Select(e => e.Key));

        // Taken in Partner Center but not yet in Skyport's copy: still a conflict, not a second user.
        await app.Services.GetRequiredService<PartnerCenterClient>().CreateUserAsync(customer.TenantId, new NewCustomerUser(
            $"direct@{customer.Domain}", "Direct", null, null, "DE", new PasswordProfile("Str0ng!Passw0rd")));
        var taken = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", NewUser("direct"))).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal($"direct@{customer.Domain}", taken!["userPrincipalName"]!.GetValue<string>());
        Assert.Contains("userPrincipalName", taken["detail"]!.GetValue<string>());
        Assert.Contains("userName", taken["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Without_a_usage_location_or_a_country_the_error_says_what_to_enter()
    {
        var customer = await app.CustomerWithTenantAsync();
        await (await app.Broker().PutJsonAsync($"/api/v1/organizations/{customer.Id}/properties", new
        {
            companyName = "No Country Ltd",
            address = new { line1 = "1 Test Street", city = "Berlin", postalCode = "10115", country = (string?)null },
            contact = new { firstName = "Test", lastName = "Contact", email = "contact@test.example" },
        })).ExpectAsync(HttpStatusCode.OK);

        var problem = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", NewUser("nowhere"))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Enter the usage location", problem!["errors"]!["usageLocation"]![0]!.GetValue<string>());

        var given = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", NewUser("somewhere", usageLocation: "fr"))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("FR", given!["usageLocation"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_creates_one_user_and_sends_one_email()
    {
        var customer = await app.CustomerWithTenantAsync();
        var sendTo = $"idem-{Guid.NewGuid():N}@northwind.example";
        var key = Guid.NewGuid().ToString();
        async Task<JsonNode?> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/customers/{customer.Id}/o365/users") { Content = JsonContent.Create(NewUser("once", sendTo: sendTo)) };
            request.Headers.Add("Idempotency-Key", key);
            return await (await app.Broker().SendAsync(request)).ExpectAsync(HttpStatusCode.Created);
        }
        var first = await Send();
        var again = await Send();
        Assert.Equal(first!["id"]!.GetValue<Guid>(), again!["id"]!.GetValue<Guid>());
        Assert.Single(await app.OutboxToAsync(sendTo));
    }

    [Fact]
    public async Task Deleting_a_user_removes_it_from_partner_center_and_the_list()
    {
        var customer = await app.CustomerWithTenantAsync();
        var created = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", NewUser("leaver"))).ExpectAsync(HttpStatusCode.Created);
        var id = created!["id"]!.GetValue<Guid>();

        await (await app.Broker().DeleteAsync($"/api/v1/customers/{customer.Id}/o365/users/{id}")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.DoesNotContain($"leaver@{customer.Domain}", await UserNamesAsync(customer));
        var users = await app.Services.GetRequiredService<PartnerCenterClient>().ListUsersAsync(customer.TenantId);
        Assert.DoesNotContain(users.Ok, u => u.Id == id);
        await (await app.Broker().DeleteAsync($"/api/v1/customers/{customer.Id}/o365/users/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        await Task.Delay(600); // a few sync rounds: the deletion does not come back
        Assert.DoesNotContain($"leaver@{customer.Domain}", await UserNamesAsync(customer));
    }

    [Fact]
    public async Task Users_created_changed_and_deleted_in_partner_center_reach_skyport_within_five_seconds()
    {
        var customer = await app.CustomerWithTenantAsync();
        var graph = app.Services.GetRequiredService<PartnerCenterGraph>().ForTenant(customer.TenantId);

        var made = await graph.Users.PostAsync(new Microsoft.Graph.Models.User
        {
            AccountEnabled = true,
            DisplayName = "Made In Graph",
            MailNickname = "graphmade",
            UserPrincipalName = $"graphmade@{customer.Domain}",
            UsageLocation = "US",
            PasswordProfile = new Microsoft.Graph.Models.PasswordProfile { Password = "Str0ng!Passw0rd" },
        });
        await UsersTestSupport.EventuallyAsync(async () => (await UserNamesAsync(customer)).Contains($"graphmade@{customer.Domain}"), SyncDeadline, "a user made in Graph appears");

        await graph.Users[made!.Id].PatchAsync(new Microsoft.Graph.Models.User { DisplayName = "Renamed In Graph", AccountEnabled = false });
        await UsersTestSupport.EventuallyAsync(async () => (await ListAsync(customer, "?search=renamed")).Any(u => u!["accountEnabled"]!.GetValue<bool>() == false), SyncDeadline, "the change appears");

        await graph.Users[made.Id].DeleteAsync();
        await UsersTestSupport.EventuallyAsync(async () => !(await UserNamesAsync(customer)).Contains($"graphmade@{customer.Domain}"), SyncDeadline, "the deletion appears");
    }

    [Fact]
    public async Task Search_matches_display_name_or_user_name_in_any_case_and_pages_carry_the_total()
    {
        var customer = await app.CustomerWithTenantAsync();
        foreach (var (first, last, name) in new[] { ("Zoe", "Alpha", "zalpha"), ("Yann", "Beta", "ybeta"), ("Xena", "Gamma", "special_x") })
        {
            await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", new { firstName = first, lastName = last, userName = name, generatePassword = true, sendCredentialsTo = "it@northwind.example" })).ExpectAsync(HttpStatusCode.Created);
        }
        Assert.Equal(["Zoe Alpha"], (await ListAsync(customer, "?search=ALPHA")).Select(u => u!["displayName"]!.GetValue<string>()));
        Assert.Equal(["Xena Gamma"], (await ListAsync(customer, "?search=special_")).Select(u => u!["displayName"]!.GetValue<string>()));
        Assert.Empty(await ListAsync(customer, "?search=%25"));

        // Three made here, and the two administrators of a new tenant (Partner Center's and onboarding's).
        await UsersTestSupport.EventuallyAsync(async () => (await UserNamesAsync(customer)).Count == 5, SyncDeadline, "the administrators are synced");
        var all = (await ListAsync(customer)).Select(u => u!["displayName"]!.GetValue<string>()).ToList();
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
        var firstPage = await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/o365/users?page=1&pageSize=3")).ExpectAsync(HttpStatusCode.OK);
        var second = await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/o365/users?page=2&pageSize=3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(5, second!["total"]!.GetValue<int>());
        Assert.Equal(all, firstPage!["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(u => u!["displayName"]!.GetValue<string>()));
        await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/o365/users?pageSize=501")).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_customer_without_the_service_has_no_users_list()
    {
        var customer = await A.Customer().CreateAsync(app);
        await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365/users")).ExpectAsync(HttpStatusCode.NotFound);
        await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365/users", NewUser("x"))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_resellers_administrator_gets_404()
    {
        var customer = await app.CustomerWithTenantAsync();
        var other = await app.AnotherResellerAsync();

        await (await other.GetAsync($"/api/v1/customers/{customer.Id}/o365/users")).ExpectAsync(HttpStatusCode.NotFound);
        await (await other.PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", NewUser("intruder"))).ExpectAsync(HttpStatusCode.NotFound);
        var admins = await ListAsync(customer);
        await (await other.DeleteAsync($"/api/v1/customers/{customer.Id}/o365/users/{Guid.NewGuid()}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain($"intruder@{customer.Domain}", await UserNamesAsync(customer));
        Assert.NotNull(admins);
    }
}
