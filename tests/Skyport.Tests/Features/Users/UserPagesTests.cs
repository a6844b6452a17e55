using System.Net;
using System.Text.Json.Nodes;
using Skyport.Data;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Users;

/// <summary>The users pages as a browser uses them (forms with their antiforgery token, htmx fragments).</summary>
public sealed class UserPagesTests(SqliteSkyportFastSync app) : IClassFixture<SqliteSkyportFastSync>
{
    private Task<Browser> BrokerAsync() => Browser.SignedInAsync(app, DemoData.Broker);

    [Fact]
    public async Task New_user_names_broken_password_rules_then_creates_the_user_and_lists_it()
    {
        var customer = await app.CustomerWithTenantAsync();
        var browser = await BrokerAsync();
        var url = $"/my-services/o365/{customer.Id}/users/new";
        var form = await browser.PageAsync(url);
        Assert.Contains($"@{customer.Domain}", form);
        Assert.Contains("value=\"DE\"", form); // usage location from the organization's country

        var fields = new Dictionary<string, string>
        {
            ["Input.FirstName"] = "Grace",
            ["Input.LastName"] = "Hopper",
            ["Input.UserName"] = "ghopper",
            ["Input.UsageLocation"] = "DE",
            ["Input.SendCredentialsTo"] = "it@northwind.example",
            ["Input.GeneratePassword"] = "false",
            ["Input.Password"] = "grace",
        };
        var check = await browser.SubmitAsync(url, fields, "CheckPassword");
        var rules = await check.Content.ReadAsStringAsync();
        Assert.Contains("Use at least 8 characters.", rules);
        Assert.Contains("Do not use &quot;Grace&quot;, a part of the name, in the password.", rules);

        var refused = await browser.SubmitAsync(url, fields);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Add a digit.", await refused.Content.ReadAsStringAsync());

        fields["Input.Password"] = "Blue-Sky-42!";
        var created = await browser.SubmitAsync(url, fields);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var list = await browser.PageAsync($"/my-services/o365/{customer.Id}/users");
        Assert.Contains($"ghopper@{customer.Domain}", list);
        Assert.Contains($"User ghopper@{customer.Domain} created.", list);

        var rows = await browser.PageAsync($"/my-services/o365/{customer.Id}/users?handler=Rows&search=hopper");
        Assert.Contains("hx-trigger=\"every 3s", rows);
        Assert.Contains("Grace Hopper", rows);
        Assert.DoesNotContain("<h1>", rows);
    }

    [Fact]
    public async Task Import_and_export_pages_report_per_person()
    {
        var customer = await app.CustomerWithTenantAsync();
        var browser = await BrokerAsync();
        var import = $"/my-services/o365/{customer.Id}/users/import";
        var added = await browser.SubmitAsync(import, new Dictionary<string, string>
        {
            ["Person.FirstName"] = "Hedy",
            ["Person.LastName"] = "Lamarr",
            ["Person.Email"] = "hedy@northwind.example",
        }, "AddPerson");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var page = await browser.PageAsync(import);
        var id = System.Text.RegularExpressions.Regex.Match(page, "name=\"Selected\" value=\"([^\"]+)\" aria-label=\"Select Hedy Lamarr\"").Groups[1].Value;

        var imported = await browser.SubmitAsync(import, new Dictionary<string, string> { ["Selected"] = id, ["SendPasswordTo"] = "it@northwind.example" });
        var report = await browser.FinishedJobPageAsync(imported);
        Assert.Contains("1 of 1 person done", report);
        Assert.Contains($"href=\"{import}\">Back to the user import", report);
        Assert.True(report.Contains($"(hedy@{customer.Domain}): created"), report[report.IndexOf("<main", StringComparison.Ordinal)..]);

        var export = $"/my-services/o365/{customer.Id}/users/export";
        var exportPage = await browser.PageAsync(export);
        var userId = System.Text.RegularExpressions.Regex.Match(exportPage, "name=\"Selected\" value=\"([^\"]+)\" aria-label=\"Select Hedy Lamarr \\(").Groups[1].Value;
        var exported = await browser.SubmitAsync(export, new Dictionary<string, string> { ["Selected"] = userId, ["SendPasswordTo"] = "it@northwind.example" });
        var exportReport = await browser.FinishedJobPageAsync(exported);
        Assert.True(exportReport.Contains("already exists, nothing changed"), exportReport[exportReport.IndexOf("<main", StringComparison.Ordinal)..]); // imported people are linked to their user

        var empty = await browser.SubmitAsync(export, new Dictionary<string, string> { ["SendPasswordTo"] = "" });
        var text = await empty.Content.ReadAsStringAsync();
        Assert.Contains("Pick at least one person.", text);
        Assert.Contains("Enter the email address that receives the passwords.", text);
    }

    [Fact]
    public async Task Users_pages_of_another_resellers_customer_are_not_found()
    {
        var otherReseller = await A.Reseller().CreateAsync(app);
        var customer = await A.Customer().Under(otherReseller).CreateAsync(app);
        await app.AddO365Async(customer, "p" + Guid.NewGuid().ToString("N")[..12]);
        var reseller = new Browser(app);
        await reseller.SignInAsync(DemoData.Reseller.Email, DemoData.Reseller.Password);
        foreach (var path in new[] { "users", "users/new", "users/import", "users/export", "users?handler=Rows" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await reseller.GetAsync($"/my-services/o365/{customer}/{path}")).StatusCode);
        }
    }

    [Fact]
    public async Task Assign_subscriptions_shows_a_refusal_above_the_form_and_keeps_ticked_users_ticked_while_polling()
    {
        await Shop.ImportCatalogAsync(app);
        var customer = await app.CustomerWithTenantAsync();
        var subscription = (await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/subscriptions", new { offerId = Shop.BusinessBasic, quantity = 1 }))
            .ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>();
        var ann = await app.NewUserAsync(customer, "ann");
        var browser = await BrokerAsync();
        var usersUrl = $"/my-services/o365/{customer.Id}/users";

        var rows = await browser.PageAsync($"{usersUrl}?handler=Rows&userIds={ann}");
        Assert.Matches($"value=\"{ann}\" form=\"select-users\"[^>]*checked", rows);

        var url = $"{usersUrl}/assign?UserIds={ann}";
        var dialog = await browser.PageAsync(url);
        Assert.Contains("Microsoft 365 Business Basic", dialog);
        var fields = new Dictionary<string, string> { ["UserIds"] = ann.ToString(), ["SubscriptionIds"] = subscription.ToString() };
        var done = await browser.FinishedJobPageAsync(await browser.SubmitAsync(url, fields));
        Assert.Contains("1 of 1 user done.", done);
        Assert.Contains($"href=\"{usersUrl}/{ann}/subscriptions\">Back to the subscriptions of ann@{customer.Domain}", done);

        var second = await app.NewUserAsync(customer, "bea");
        fields["UserIds"] = second.ToString();
        var refused = await browser.SubmitAsync($"{usersUrl}/assign?UserIds={second}", fields);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        // Too few free licenses: the page offers to add the missing seat first, with its cost; nothing is bought or assigned yet.
        Assert.Contains("Not enough free licenses", page);
        Assert.Matches(@"1 seat of Microsoft 365 Business Basic</strong>: <span data-testid=""seats-cost"">\d+\.\d\d EUR</span>", page);
        Assert.Contains("Add the seats and subscribe", page);
        Assert.Equal(1, (await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/o365/subscriptions/{subscription}")).ExpectAsync(HttpStatusCode.OK))!["quantity"]!.GetValue<int>());

        var empty = await browser.PageAsync($"{usersUrl}/assign");
        Assert.Contains("Select at least one user on the list first.", empty);
    }

    [Fact]
    public async Task A_users_Subscribe_without_a_free_license_offers_the_missing_seat_and_its_confirmation_buys_it_then_assigns()
    {
        await Shop.ImportCatalogAsync(app);
        var customer = await app.CustomerWithTenantAsync();
        var subscription = (await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/subscriptions", new { offerId = Shop.BusinessBasic, quantity = 1 }))
            .ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>();
        var (first, second) = (await app.NewUserAsync(customer, "fay"), await app.NewUserAsync(customer, "gus"));
        var browser = await BrokerAsync();
        var fields = new Dictionary<string, string> { ["SubscriptionIds"] = subscription.ToString() };
        await browser.FinishedJobPageAsync(await browser.SubmitAsync($"/my-services/o365/{customer.Id}/users/{first}/subscriptions?handler=Subscribe", fields));

        var url = $"/my-services/o365/{customer.Id}/users/{second}/subscriptions?handler=Subscribe";
        var offer = await (await browser.SubmitAsync(url, fields)).Content.ReadAsStringAsync();
        Assert.Contains("Not enough free licenses", offer);
        Assert.Matches(@"1 seat of Microsoft 365 Business Basic</strong>: <span data-testid=""seats-cost"">\d+\.\d\d EUR</span>", offer);
        var quantity = async () => (await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/o365/subscriptions/{subscription}")).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(1, (await quantity())["quantity"]!.GetValue<int>());

        fields["AddSeats"] = "true";
        var done = await browser.FinishedJobPageAsync(await browser.SubmitAsync(url, fields));
        Assert.Contains("1 of 1 user done.", done);
        Assert.Equal(2, (await quantity())["quantity"]!.GetValue<int>());
        Assert.Equal(2, (await quantity())["consumedQuantity"]!.GetValue<int>());
    }

    [Fact]
    public async Task Subscribe_leads_to_the_job_page_whose_progress_bar_fills_then_shows_what_happened()
    {
        await Shop.ImportCatalogAsync(app);
        var customer = await app.CustomerWithTenantAsync();
        var subscription = (await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/subscriptions", new { offerId = Shop.BusinessBasic, quantity = 3 }))
            .ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>();
        var users = new[] { await app.NewUserAsync(customer, "cleo"), await app.NewUserAsync(customer, "dina"), await app.NewUserAsync(customer, "edda") };
        var browser = await BrokerAsync();
        var usersUrl = $"/my-services/o365/{customer.Id}/users";
        var url = $"{usersUrl}/assign?{string.Join("&", users.Select(u => $"UserIds={u}"))}";
        var emulator = new EmulatorControl(app);
        await emulator.InjectAsync(new { method = "POST", pathPattern = "/v1/customers/*/users/*/licenseupdates", kind = "delay", delayMs = 2000, rate = 1.0 });
        try
        {
            // The ticked users travel in the address, as the users list sends them.
            var submitted = await browser.SubmitAsync(url, new Dictionary<string, string> { ["SubscriptionIds"] = subscription.ToString() });
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
            var jobUrl = submitted.Headers.Location!.ToString();

            var running = await browser.PageAsync(jobUrl);
            Assert.Contains("<h1>Assign subscriptions</h1>", running);
            Assert.Matches("<progress max=\"3\" value=\"0\" aria-labelledby=\"job-progress-label\">", running);
            Assert.Matches("<p id=\"job-progress-label\">(Waiting to start: )?0 of 3 users done</p>", running);
            Assert.Contains("hx-trigger=\"every 1s\"", running);
            Assert.DoesNotContain("What happened", running);
            var partial = await browser.PageAsync(jobUrl + "?handler=Progress");
            Assert.DoesNotContain("<h1>", partial);
            Assert.Contains("<progress", partial);

            var finished = await browser.FinishedJobPageAsync(submitted);
            Assert.Contains("<progress max=\"3\" value=\"3\"", finished);
            Assert.Contains("3 of 3 users done", finished);
            Assert.Contains("What happened", finished);
            Assert.Contains($"<strong>dina@{customer.Domain}</strong>: done", finished);
            Assert.Contains($"href=\"{usersUrl}\">Back to the users", finished);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(finished, "Back to the users")); // the head's link, not twice
        }
        finally
        {
            await emulator.ClearFaultsAsync();
        }
    }
}
