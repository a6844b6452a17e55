using System.Net.Http.Json;
using Microsoft.Playwright;
using Skyport.Data;
using Skyport.UiTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Skyport.UiTests;

public sealed class RenewalsJourneyTests(PortalWithKey portal) : IClassFixture<PortalWithKey>
{
    [Fact]
    public async Task A_reseller_sees_what_renews_in_the_next_30_days_and_exports_it()
    {
        using var api = portal.Api();
        (await api.PostAsync("/api/v1/catalog/import", null)).EnsureSuccessStatusCode();
        var organizations = await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/organizations?pageSize=500");
        var northwind = organizations.GetProperty("items").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "Northwind Traders").GetProperty("id").GetString();
        (await api.PostAsJsonAsync($"/api/v1/customers/{northwind}/o365", new { domainPrefix = "nwrenewals" + Random.Shared.Next(1000, 9999), microsoftCustomerAgreement = new { accepted = true } })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/customers/{northwind}/o365/subscriptions",
            new { offerId = "CFQ7TTC0LH18:0001:CFQ7TTC0K971", quantity = 6, friendlyName = "Shop floor" })).EnsureSuccessStatusCode();

        var page = await portal.NewPageAsync();
        await page.SignInAsync(DemoData.Reseller.Email, DemoData.Reseller.Password);
        await page.OpenMenuAsync("Renewals");
        await page.GetByLabel("Next 30 days").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show renewals" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Shop floor" });
        await Expect(row).ToContainTextAsync("Northwind Traders");
        await Expect(row).ToContainTextAsync("Renews");
        await Expect(row.GetByRole(AriaRole.Cell).Nth(4)).ToHaveTextAsync("6");
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("Total (");
        await PortalServer.ScreenshotAsync(page, "renewals");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        Assert.EndsWith("-30d.csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("Northwind Traders,Shop floor (Microsoft 365 Business Basic),", csv);
    }
}
