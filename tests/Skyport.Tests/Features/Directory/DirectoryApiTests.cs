using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Directory;
using Skyport.Tests.Features.Users;
using Skyport.Tests.Infrastructure;

// Not "...Features.Directory": that namespace would hide System.IO.Directory from the other test folders.
namespace Skyport.Tests.Features.PeopleDirectory;

public sealed class DirectoryApiOnSqlite(SqliteSkyportFastSync app) : DirectoryApiTests(app), IClassFixture<SqliteSkyportFastSync>;

public sealed class DirectoryApiOnPostgres(PostgresSkyportFastSync app) : DirectoryApiTests(app), IClassFixture<PostgresSkyportFastSync>;

public abstract class DirectoryApiTests(SkyportApp app)
{
    private readonly EmulatorControl _emulator = new(app);

    private async Task<Guid> AddPersonAsync(Guid customerId, string first, string last, string email) =>
        (await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customerId}/directory/users", new { firstName = first, lastName = last, email, phone = "+49 30 1234", jobTitle = "Engineer" }))
            .ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>();

    [Fact]
    public async Task People_are_added_listed_and_checked()
    {
        var customer = await app.CustomerWithTenantAsync();
        var id = await AddPersonAsync(customer.Id, "Grace", "Hopper", "grace@northwind.example");

        var list = await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/directory/users")).ExpectAsync(HttpStatusCode.OK);
        var person = Assert.Single(list!["items"]!.AsArray())!;
        Assert.Equal(id, person["id"]!.GetValue<Guid>());
        Assert.Equal("Engineer", person["jobTitle"]!.GetValue<string>());
        Assert.Equal("+49 30 1234", person["phone"]!.GetValue<string>());

        var bad = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/directory/users", new { firstName = "", lastName = "X", email = "nope" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["email", "firstName"], bad!["errors"]!.AsObject().Select(e => e.Key).Order());
        await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/directory/users", new { firstName = "G", lastName = "H", email = "GRACE@northwind.example" })).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Importing_makes_tenant_users_with_mailed_passwords_and_reports_existing_ones()
    {
        var customer = await app.CustomerWithTenantAsync();
        var ada = await AddPersonAsync(customer.Id, "Ada", "Lovelace", "ada.lovelace@northwind.example");
        var alan = await AddPersonAsync(customer.Id, "Alan", "Turing", "alan@northwind.example");
        var sendTo = $"import-{Guid.NewGuid():N}@northwind.example";

        var first = await app.Broker().RunJobAsync($"/api/v1/customers/{customer.Id}/o365/users/import", new { directoryUserIds = new[] { ada, alan }, sendPasswordTo = sendTo });
        var results = first!["results"]!.AsArray();
        Assert.All(results, r => Assert.Equal("created", r!["status"]!.GetValue<string>()));
        Assert.Equal([$"ada.lovelace@{customer.Domain}", $"alan@{customer.Domain}"], results.Select(r => r!["userPrincipalName"]!.GetValue<string>()));

        var mails = await app.OutboxToAsync(sendTo);
        Assert.Equal(2, mails.Count);
        foreach (var mail in mails)
        {
            Assert.True(await _emulator.SignsInAsync(mail.Line("Sign-in name"), mail.Line("Temporary password")));
        }

        var again = await app.Broker().RunJobAsync($"/api/v1/customers/{customer.Id}/o365/users/import", new { directoryUserIds = new[] { ada, Guid.NewGuid() }, sendPasswordTo = sendTo });
        var second = again!["results"]!.AsArray();
        Assert.Equal("exists", second[0]!["status"]!.GetValue<string>());
        Assert.Equal("failed", second[1]!["status"]!.GetValue<string>());
        Assert.False(second[1]!["ok"]!.GetValue<bool>());
        Assert.Equal(2, (await app.OutboxToAsync(sendTo)).Count);
        var users = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().TenantUsers.CountAsync(u => u.OrganizationId == customer.Id && u.UserPrincipalName.StartsWith("ada.lovelace@")));
        Assert.Equal(1, users);

        var bad = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users/import", new { directoryUserIds = Array.Empty<Guid>(), sendPasswordTo = "" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["directoryUserIds", "sendPasswordTo"], bad!["errors"]!.AsObject().Select(e => e.Key).Order());
    }

    [Fact]
    public async Task Exporting_makes_directory_people_with_a_mailed_directory_password_and_reports_existing_ones()
    {
        var customer = await app.CustomerWithTenantAsync();
        var created = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", new { firstName = "Katherine", lastName = "Johnson", userName = "kjohnson", generatePassword = true, sendCredentialsTo = "it@northwind.example" })).ExpectAsync(HttpStatusCode.Created);
        var userId = created!["id"]!.GetValue<Guid>();
        var sendTo = $"export-{Guid.NewGuid():N}@northwind.example";

        var export = await app.Broker().RunJobAsync($"/api/v1/customers/{customer.Id}/o365/users/export", new { userIds = new[] { userId }, sendPasswordTo = sendTo });
        var result = Assert.Single(export!["results"]!.AsArray())!;
        Assert.Equal("created", result["status"]!.GetValue<string>());

        var list = await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/directory/users")).ExpectAsync(HttpStatusCode.OK);
        var person = Assert.Single(list!["items"]!.AsArray())!;
        Assert.Equal("Katherine", person["firstName"]!.GetValue<string>());
        Assert.Equal($"kjohnson@{customer.Domain}", person["email"]!.GetValue<string>());
        Assert.True(person["hasPassword"]!.GetValue<bool>());
        var mail = Assert.Single(await app.OutboxToAsync(sendTo));
        var password = mail.Line("Directory password");
        var stored = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().DirectoryPeople.SingleAsync(p => p.OrganizationId == customer.Id));
        Assert.True(ExportUsers.VerifyPassword(stored, password));
        Assert.False(ExportUsers.VerifyPassword(stored, password + "x"));
        Assert.DoesNotContain(password, stored.PasswordHash);

        var again = await app.Broker().RunJobAsync($"/api/v1/customers/{customer.Id}/o365/users/export", new { userIds = new[] { userId }, sendPasswordTo = sendTo });
        Assert.Equal("exists", again!["results"]![0]!["status"]!.GetValue<string>());
        Assert.Single(await app.OutboxToAsync(sendTo));
    }

    [Fact]
    public async Task Another_resellers_administrator_gets_404()
    {
        var customer = await app.CustomerWithTenantAsync();
        var other = await app.AnotherResellerAsync();
        await (await other.GetAsync($"/api/v1/customers/{customer.Id}/directory/users")).ExpectAsync(HttpStatusCode.NotFound);
        await (await other.PostJsonAsync($"/api/v1/customers/{customer.Id}/directory/users", new { firstName = "A", lastName = "B", email = "a@b.example" })).ExpectAsync(HttpStatusCode.NotFound);
        await (await other.PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users/import", new { directoryUserIds = new[] { Guid.NewGuid() }, sendPasswordTo = "a@b.example" })).ExpectAsync(HttpStatusCode.NotFound);
        await (await other.PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users/export", new { userIds = new[] { Guid.NewGuid() }, sendPasswordTo = "a@b.example" })).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/directory/users")).ReadJsonAsync())["items"]!.AsArray());
    }
}
