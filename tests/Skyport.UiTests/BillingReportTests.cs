using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Skyport.Data;
using Skyport.UiTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Skyport.UiTests;

/// <summary>The portal with a bootstrap API key, so the test can buy through the API before looking at the reports.</summary>
public sealed class PortalWithKey : PortalServer
{
    public const string Key = "sk_ui_test_bootstrap_key_for_the_broker_000000000";

    public PortalWithKey() => Set("Skyport:BootstrapApiKey", Key);

    public HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }
}

public sealed class BillingReportTests(PortalWithKey portal) : IClassFixture<PortalWithKey>
{
    [Fact]
    public async Task A_reseller_picks_a_range_expands_date_subscription_and_detail_and_exports_csv_and_excel()
    {
        using var api = portal.Api();
        (await api.PostAsync("/api/v1/catalog/import", null)).EnsureSuccessStatusCode();
        var organizations = await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/organizations?pageSize=500");
        var northwind = organizations.GetProperty("items").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "Northwind Traders").GetProperty("id").GetString();
        (await api.PostAsJsonAsync($"/api/v1/customers/{northwind}/o365", new { domainPrefix = "nwbilling" + Random.Shared.Next(1000, 9999), microsoftCustomerAgreement = new { accepted = true } })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/customers/{northwind}/o365/subscriptions",
            new { offerId = "CFQ7TTC0LH18:0001:CFQ7TTC0K971", quantity = 4, friendlyName = "Front office", purchaseOrderNumber = "PO-4711" })).EnsureSuccessStatusCode();

        var page = await portal.NewPageAsync();
        await page.SignInAsync(DemoData.Reseller.Email, DemoData.Reseller.Password);
        await page.OpenMenuAsync("Billing");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Select date range" })).ToBeVisibleAsync();
        await page.GetByLabel("Last month").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show reports" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Img)).ToBeVisibleAsync();

        await page.GetByLabel("Custom range").CheckAsync();
        await page.GetByLabel("From month").FillAsync(DateTime.UtcNow.ToString("yyyy-MM"));
        await page.GetByLabel("To month").FillAsync(DateTime.UtcNow.AddMonths(1).ToString("yyyy-MM"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show reports" }).ClickAsync();
        // Next month's cycle has not closed: its report says so.
        await Expect(page.Locator("details.report").Last).ToContainTextAsync("Open, not issued yet");

        var cycle = page.Locator("details.report").Filter(new() { HasText = "Northwind Traders" }).First;
        await cycle.Locator("summary").First.ClickAsync();
        var subscription = cycle.Locator("details.subscription").Filter(new() { HasText = "Front office" });
        await subscription.Locator("summary").ClickAsync();
        var detail = subscription.GetByRole(AriaRole.Table);
        await Expect(detail).ToContainTextAsync("Global");
        await Expect(detail.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("4");
        await Expect(subscription).ToContainTextAsync("PO PO-4711");
        await PortalServer.ScreenshotAsync(page, "billing-report");

        var csvDownload = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await csvDownload.PathAsync())!);
        Assert.Contains("Northwind Traders", csv);
        Assert.Contains("Front office", csv);
        Assert.Contains("PO-4711", csv);

        var xlsxDownload = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export Excel" }).ClickAsync());
        Assert.EndsWith(".xlsx", xlsxDownload.SuggestedFilename);
        using var zip = ZipFile.OpenRead((await xlsxDownload.PathAsync())!);
        var sheet = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open()).ReadToEnd();
        Assert.Contains("Northwind Traders", sheet);
        Assert.Contains("PO-4711", sheet);
    }
}
