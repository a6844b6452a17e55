using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Skyport.Data;
using Skyport.Tests.Features.Users;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Organizations;

public sealed class OrganizationsApiOnSqlite(SqliteSkyport app) : OrganizationsApiTests(app), IClassFixture<SqliteSkyport>;

public sealed class OrganizationsApiOnPostgres(PostgresSkyport app) : OrganizationsApiTests(app), IClassFixture<PostgresSkyport>;

public abstract class OrganizationsApiTests(SkyportApp app)
{
    [Fact]
    public async Task Each_role_lists_only_its_own_subtree()
    {
        var reseller = await app.As(DemoData.Reseller.Email);
        var customer = await app.As(DemoData.Customer.Email);
        var otherReseller = await A.Reseller().Named($"Other {Guid.NewGuid():N}"[..16]).CreateAsync(app);
        var otherCustomer = await A.Customer().Under(otherReseller).CreateAsync(app);

        var brokerNames = await NamesAsync(app.Broker());
        var resellerNames = await NamesAsync(reseller);
        var customerNames = await NamesAsync(customer);

        Assert.Contains("Contoso Cloud Broker", brokerNames);
        Assert.Contains("Fabrikam IT", brokerNames);
        Assert.Contains("Northwind Traders", brokerNames);
        Assert.Contains(await NameOfAsync(otherCustomer), brokerNames);

        Assert.Contains("Fabrikam IT", resellerNames);
        Assert.Contains("Northwind Traders", resellerNames);
        Assert.DoesNotContain("Contoso Cloud Broker", resellerNames);
        Assert.DoesNotContain(await NameOfAsync(otherCustomer), resellerNames);

        Assert.Equal(["Northwind Traders"], customerNames);
    }

    [Fact]
    public async Task Broker_creates_a_reseller_with_default_billing_and_an_emailed_administrator()
    {
        var email = $"admin-{Guid.NewGuid():N}@reseller.example";
        var brokerId = await Known.BrokerIdAsync(app);
        var response = await app.Broker().PostJsonAsync("/api/v1/organizations", A.Reseller().Named("Litware Inc").WithAdministrator(email).Body(brokerId));

        var created = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("reseller", created!["kind"]!.GetValue<string>());
        Assert.Equal(brokerId, created["parentId"]!.GetValue<Guid>());
        Assert.Equal(31, created["billing"]!["cycleEndDay"]!.GetValue<int>());
        Assert.Equal("EUR", created["billing"]!["currency"]!.GetValue<string>());
        Assert.Equal($"/api/v1/organizations/{created["id"]}", response.Headers.Location!.OriginalString);

        var mails = await app.OutboxToAsync(email);
        var mail = Assert.Single(mails);
        Assert.Contains("Temporary password:", mail.Body);
        Assert.Contains("Litware Inc", mail.Subject);
    }

    [Fact]
    public async Task Reseller_creates_customers_under_itself_but_not_resellers()
    {
        var reseller = await app.As(DemoData.Reseller.Email);
        var fabrikam = await Known.IdOfAsync(app, "Fabrikam IT");
        var brokerId = await Known.BrokerIdAsync(app);

        var customer = await reseller.PostJsonAsync("/api/v1/organizations", A.Customer().Body(fabrikam));
        await customer.ExpectAsync(HttpStatusCode.Created);

        var newReseller = await reseller.PostJsonAsync("/api/v1/organizations", A.Reseller().Body(brokerId));
        var problem = await newReseller.ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(404, problem!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Customer_administrators_cannot_create_organizations()
    {
        var customer = await app.As(DemoData.Customer.Email);
        var fabrikam = await Known.IdOfAsync(app, "Fabrikam IT");
        var northwind = await Known.IdOfAsync(app, "Northwind Traders");

        await (await customer.PostJsonAsync("/api/v1/organizations", A.Customer().Body(fabrikam))).ExpectAsync(HttpStatusCode.NotFound);
        var underSelf = await customer.PostJsonAsync("/api/v1/organizations", A.Customer().Body(northwind));
        var problem = await underSelf.ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("under a reseller", problem!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_customer_under_a_customer_or_a_reseller_under_a_reseller_is_refused()
    {
        var fabrikam = await Known.IdOfAsync(app, "Fabrikam IT");
        var response = await app.Broker().PostJsonAsync("/api/v1/organizations", A.Reseller().Body(fabrikam));
        var problem = await response.ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("A reseller is created under the broker.", problem!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Creating_with_missing_and_malformed_fields_names_each_field_and_stores_nothing()
    {
        var before = (await app.Broker().GetAsync("/api/v1/organizations")).ReadJsonAsync();
        var response = await app.Broker().PostJsonAsync("/api/v1/organizations", new
        {
            name = "",
            kind = "planet",
            properties = new { address = new { country = "XX" }, contact = new { email = "not-an-email" } },
            administrator = new { email = "nope" },
        });

        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        var errors = problem!["errors"]!.AsObject();
        Assert.Contains("kind", errors.Select(e => e.Key));
        Assert.Contains("parentId", errors.Select(e => e.Key));
        Assert.Contains("name", errors.Select(e => e.Key));
        Assert.Contains("properties.address.country", errors.Select(e => e.Key));
        Assert.Contains("properties.contact.email", errors.Select(e => e.Key));
        Assert.Contains("administrator.email", errors.Select(e => e.Key));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var after = (await app.Broker().GetAsync("/api/v1/organizations")).ReadJsonAsync();
        Assert.Equal((await before)["total"]!.GetValue<int>(), (await after)["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Customer_administrator_edits_its_properties_and_reads_them_back()
    {
        var customer = await app.As(DemoData.Customer.Email);
        var northwind = await Known.IdOfAsync(app, "Northwind Traders");
        var response = await customer.PutJsonAsync($"/api/v1/organizations/{northwind}/properties", new
        {
            companyName = "Northwind Traders",
            address = new { line1 = "Königsallee 14", line2 = "4. Etage", city = "Düsseldorf", state = "NW", postalCode = "40212", country = "de" },
            contact = new { firstName = "Nancy", lastName = "Davolio", email = "nancy@northwind.example", phone = "+49 211 555 0199" },
        });
        await response.ExpectAsync(HttpStatusCode.OK);

        var read = await (await customer.GetAsync($"/api/v1/organizations/{northwind}")).ExpectAsync(HttpStatusCode.OK);
        var properties = read!["properties"]!;
        Assert.Equal("Königsallee 14", properties["address"]!["line1"]!.GetValue<string>());
        Assert.Equal("DE", properties["address"]!["country"]!.GetValue<string>());
        Assert.Equal("+49 211 555 0199", properties["contact"]!["phone"]!.GetValue<string>());
        Assert.Null(read["billing"]);
        Assert.Equal("customer", read["kind"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("address.country", "ZZ")]
    [InlineData("contact.email", "nancy@")]
    [InlineData("contact.phone", "call me")]
    [InlineData("contact.phone", "+1234567890123456789012345678901")]
    [InlineData("companyName", "")]
    public async Task Invalid_properties_are_refused_field_by_field_and_nothing_changes(string field, string value)
    {
        var northwind = await Known.IdOfAsync(app, "Northwind Traders");
        var before = await (await app.Broker().GetAsync($"/api/v1/organizations/{northwind}")).ReadJsonAsync();
        var body = new
        {
            companyName = field == "companyName" ? value : "Changed name",
            address = new { line1 = "Somewhere 1", city = "Bonn", postalCode = "53111", country = field == "address.country" ? value : "DE" },
            contact = new { email = field == "contact.email" ? value : "ok@example.com", phone = field == "contact.phone" ? value : "+49 1" },
        };

        var problem = await (await app.Broker().PutJsonAsync($"/api/v1/organizations/{northwind}/properties", body)).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Equal([field], problem!["errors"]!.AsObject().Select(e => e.Key));
        var after = await (await app.Broker().GetAsync($"/api/v1/organizations/{northwind}")).ReadJsonAsync();
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Fact]
    public async Task Reseller_billing_settings_are_validated_and_saved()
    {
        var reseller = await app.As(DemoData.Reseller.Email);
        var id = await A.Reseller().CreateAsync(app);

        foreach (var (day, currency, field) in new[] { (0, "EUR", "cycleEndDay"), (32, "EUR", "cycleEndDay"), (15, "EURO", "currency"), (15, "XYZ", "currency") })
        {
            var problem = await (await app.Broker().PutJsonAsync($"/api/v1/organizations/{id}/billing", new { cycleEndDay = day, currency })).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Equal([field], problem!["errors"]!.AsObject().Select(e => e.Key));
        }

        // Reports are in the currency of the price lists, so a reseller cannot be billed in another.
        var otherCurrency = await (await app.Broker().PutJsonAsync($"/api/v1/organizations/{id}/billing", new { cycleEndDay = 29, currency = "USD" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Skyport sells in EUR: the price lists and Microsoft's costs are in EUR, so resellers are billed in EUR too.", otherCurrency!["errors"]!["currency"]![0]!.GetValue<string>());

        var saved = await (await app.Broker().PutJsonAsync($"/api/v1/organizations/{id}/billing", new { cycleEndDay = 29, currency = "eur" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(29, saved!["billing"]!["cycleEndDay"]!.GetValue<int>());
        Assert.Equal("EUR", saved["billing"]!["currency"]!.GetValue<string>());

        // Another reseller's administrator cannot see it at all.
        await (await reseller.PutJsonAsync($"/api/v1/organizations/{id}/billing", new { cycleEndDay = 1, currency = "EUR" })).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Billing_settings_belong_to_resellers_only()
    {
        var northwind = await Known.IdOfAsync(app, "Northwind Traders");
        var problem = await (await app.Broker().PutJsonAsync($"/api/v1/organizations/{northwind}/billing", new { cycleEndDay = 10, currency = "EUR" })).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Billing settings belong to resellers only.", problem!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_json_and_wrong_types_answer_400_problems()
    {
        var fabrikam = await Known.IdOfAsync(app, "Fabrikam IT");
        var broken = new StringContent("{ \"cycleEndDay\": ", Encoding.UTF8, "application/json");
        var problem = await (await app.Broker().PutAsync($"/api/v1/organizations/{fabrikam}/billing", broken)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(400, problem!["status"]!.GetValue<int>());
        Assert.NotNull(problem["traceId"]);

        var wrongType = new StringContent("{ \"cycleEndDay\": \"fifteen\", \"currency\": \"EUR\" }", Encoding.UTF8, "application/json");
        await (await app.Broker().PutAsync($"/api/v1/organizations/{fabrikam}/billing", wrongType)).ExpectAsync(HttpStatusCode.BadRequest);

        var read = await (await app.Broker().GetAsync($"/api/v1/organizations/{fabrikam}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(15, read!["billing"]!["cycleEndDay"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("/api/v1/organizations?pageSize=501", "pageSize")]
    [InlineData("/api/v1/organizations?page=0", "page")]
    public async Task Paging_outside_the_limits_is_refused(string url, string field)
    {
        var problem = await (await app.Broker().GetAsync(url)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem!["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Paging_returns_the_total_and_one_page()
    {
        var page = await (await app.Broker().GetAsync("/api/v1/organizations?page=2&pageSize=1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(page!["items"]!.AsArray());
        Assert.True(page["total"]!.GetValue<int>() >= 3);
    }

    [Fact]
    public async Task Unknown_ids_answer_404_problems()
    {
        var problem = await (await app.Broker().GetAsync($"/api/v1/organizations/{Guid.NewGuid()}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal("Not found", problem!["title"]!.GetValue<string>());
        await (await app.Broker().GetAsync("/api/v1/organizations/not-a-guid")).ExpectAsync(HttpStatusCode.NotFound);
    }

    private static async Task<List<string>> NamesAsync(HttpClient client)
    {
        var page = await (await client.GetAsync("/api/v1/organizations?pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        return [.. page!["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>())];
    }

    private async Task<string> NameOfAsync(Guid id) =>
        (await (await app.Broker().GetAsync($"/api/v1/organizations/{id}")).ReadJsonAsync())["name"]!.GetValue<string>();
}

public sealed class IdempotentCreateOnSqlite(SqliteSkyport app) : IdempotentCreateTests(app), IClassFixture<SqliteSkyport>;

public sealed class IdempotentCreateOnPostgres(PostgresSkyport app) : IdempotentCreateTests(app), IClassFixture<PostgresSkyport>;

public abstract class IdempotentCreateTests(SkyportApp app)
{
    [Fact]
    public async Task A_retried_create_with_the_same_key_returns_the_first_result_and_creates_nothing_more()
    {
        var brokerId = await Known.BrokerIdAsync(app);
        var body = A.Reseller().Named($"Retry {Guid.NewGuid():N}"[..18]).WithAdministrator($"a-{Guid.NewGuid():N}@retry.example").Body(brokerId);
        var key = Guid.NewGuid().ToString();

        async Task<HttpResponseMessage> Send(object payload)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/organizations") { Content = System.Net.Http.Json.JsonContent.Create(payload) };
            request.Headers.Add("Idempotency-Key", key);
            return await app.Broker().SendAsync(request);
        }

        var first = await (await Send(body)).ExpectAsync(HttpStatusCode.Created);
        var retry = await Send(body);
        var second = await retry.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(first!["id"]!.GetValue<Guid>(), second!["id"]!.GetValue<Guid>());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        var list = await (await app.Broker().GetAsync("/api/v1/organizations?pageSize=500")).ReadJsonAsync();
        Assert.Single(list["items"]!.AsArray(), i => i!["name"]!.GetValue<string>() == first["name"]!.GetValue<string>());

        var different = await Send(A.Reseller().Body(brokerId));
        await different.ExpectAsync(HttpStatusCode.UnprocessableEntity);
    }
}
