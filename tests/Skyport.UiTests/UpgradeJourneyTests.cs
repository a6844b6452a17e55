using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Skyport.Data;
using Skyport.Features.Catalog;
using Skyport.PartnerCenter;
using Skyport.UiTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Skyport.UiTests;

public sealed class UpgradeJourneyTests(PortalServer portal) : IClassFixture<PortalServer>
{
    private const string BusinessBasic = "CFQ7TTC0LH18:0001:CFQ7TTC0K971";
    private const string BusinessStandard = "CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT";

    [Fact]
    public async Task A_customer_upgrades_Business_Basic_to_Standard_with_the_licenses_and_both_histories_show_it()
    {
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<ImportCatalog>().RunAsync(CancellationToken.None)).Succeeded);
        }
        var page = await portal.NewPageAsync();
        await page.SignInAsync(DemoData.Customer.Email, DemoData.Customer.Password);
        var prefix = "nwupg" + Random.Shared.Next(1000, 9999);
        await page.OpenMenuAsync("E-store");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add service" }).ClickAsync();
        await page.GetByLabel("Domain prefix").FillAsync(prefix);
        await page.GetByLabel("I accept the Microsoft Customer Agreement").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add service" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Microsoft O365 CSP Direct > Subscriptions");

        await page.GetByRole(AriaRole.Link, new() { Name = "Add subscription" }).ClickAsync();
        await page.GetByLabel("Category").SelectOptionAsync("Microsoft 365");
        await page.GetByLabel("Product group").SelectOptionAsync("Business");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Microsoft 365 Business Basic" }).CheckAsync();
        var price = page.GetByRole(AriaRole.Region, new() { Name = "Price" });
        await Expect(price).ToContainTextAsync("1 ×");
        await page.GetByLabel("Quantity", new() { Exact = true }).SelectOptionAsync("3");
        await Expect(price).ToContainTextAsync("3 ×");
        await page.GetByLabel("Friendly name").FillAsync("Front office");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create subscription" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("3 × Microsoft 365 Business Basic bought");

        // A user holds one of its licenses (assigned in Partner Center, as an administrator would).
        Guid tenant, userId, standardSku;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
            tenant = (await db.O365Services.SingleAsync(s => s.Domain.StartsWith(prefix))).TenantId!.Value;
            var basicSku = (await db.CatalogOffers.SingleAsync(o => o.Id == BusinessBasic)).LicenseSkuId!.Value;
            standardSku = (await db.CatalogOffers.SingleAsync(o => o.Id == BusinessStandard)).LicenseSkuId!.Value;
            var partnerCenter = scope.ServiceProvider.GetRequiredService<PartnerCenterClient>();
            var user = await partnerCenter.CreateUserAsync(tenant, new NewCustomerUser($"ula@{prefix}.onmicrosoft.com", "Ula Upgrade", "Ula", "Upgrade", "DE", new PasswordProfile("Skyport!Upgrade2026")));
            userId = user.Value!.Id;
            Assert.True((await partnerCenter.UpdateLicensesAsync(tenant, userId, [basicSku], [])).IsSuccess);
        }

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Front office" });
        await row.GetByText("Actions").ClickAsync();
        await row.GetByRole(AriaRole.Link, new() { Name = "Upgrade" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Microsoft 365 Business Basic" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Radio, new() { Name = "Microsoft 365 Business Standard" }).CheckAsync();
        await Expect(page.GetByTestId("upgrade-net")).ToContainTextAsync("EUR");
        await Expect(page.GetByTestId("upgrade-refund")).ToContainTextAsync("-");
        await Expect(page.GetByLabel("Move assigned licenses")).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Licenses to upgrade")).ToHaveValueAsync("3");
        await PortalServer.ScreenshotAsync(page, "upgrade");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upgrade" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Upgraded: 3 × Microsoft 365 Business Standard, with the users' licenses");
        var standard = page.GetByRole(AriaRole.Row).Filter(new() { HasText = BusinessStandard });
        await Expect(standard).ToContainTextAsync("Active");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Front office" })).ToContainTextAsync("Cancelled");

        // Both histories show the upgrade.
        row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Front office" });
        await row.GetByText("Actions").ClickAsync();
        await row.GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Subscription events" })).ToContainTextAsync("Upgraded (licenses moved to another offer)");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the subscriptions" }).ClickAsync();
        standard = page.GetByRole(AriaRole.Row).Filter(new() { HasText = BusinessStandard });
        await standard.GetByText("Actions").ClickAsync();
        await standard.GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Subscription events" })).ToContainTextAsync("Upgraded (licenses moved here)");
        Assert.True(portal.PolicyViolations.Count == 0, string.Join("\n", portal.PolicyViolations));

        // Partner Center moved the user's license to Business Standard.
        using var emulator = new HttpClient { BaseAddress = new Uri(portal.Services.GetRequiredService<EmbeddedEmulator>().BaseUrl) };
        var state = JsonNode.Parse(await emulator.GetStringAsync("/_emulator/state"))!;
        var tenantState = state["tenants"]!.AsArray().Single(t => t!["id"]!.GetValue<Guid>() == tenant)!;
        var transitions = tenantState["subscriptions"]!.AsArray().SelectMany(s => s!["transitions"]!.AsArray()).Select(t => t!["id"]!.GetValue<Guid>()).Distinct();
        Assert.Single(transitions);
        Assert.Contains(standardSku.ToString(), tenantState.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }
}
