using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Skyport.Data;
using Skyport.Features.Catalog;
using Skyport.PartnerCenter;
using Skyport.UiTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Skyport.UiTests;

public sealed class SubscriptionJourneyTests(PortalServer portal) : IClassFixture<PortalServer>
{
    [Fact]
    public async Task A_customer_buys_through_the_cascade_adds_an_add_on_changes_the_quantity_suspends_and_activates()
    {
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<ImportCatalog>().RunAsync(CancellationToken.None)).Succeeded);
        }
        var page = await portal.NewPageAsync();
        await page.SignInAsync(DemoData.Customer.Email, DemoData.Customer.Password);

        await page.OpenMenuAsync("E-store");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add service" }).ClickAsync();
        await page.GetByLabel("Domain prefix").FillAsync("nwsubs" + Random.Shared.Next(1000, 9999));
        await page.GetByLabel("I accept the Microsoft Customer Agreement").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add service" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Microsoft O365 CSP Direct > Subscriptions");

        // Buy: category, then product group, then product; the price appears without a reload.
        await page.GetByRole(AriaRole.Link, new() { Name = "Add subscription" }).ClickAsync();
        await page.GetByLabel("Category").SelectOptionAsync("Microsoft 365");
        await page.GetByLabel("Product group").SelectOptionAsync("Business");
        var basic = page.GetByRole(AriaRole.Radio, new() { Name = "Microsoft 365 Business Basic" });
        await basic.FocusAsync();
        await Expect(page.GetByRole(AriaRole.Tooltip).Filter(new() { HasText = "Web and mobile Office apps" })).ToBeVisibleAsync();
        await basic.CheckAsync();
        var price = page.GetByRole(AriaRole.Region, new() { Name = "Price" });
        await Expect(price).ToContainTextAsync("1 ×"); // the product's price shows before the quantity is chosen
        await page.GetByLabel("Quantity", new() { Exact = true }).SelectOptionAsync("5");
        await Expect(price).ToContainTextAsync("EUR per month");
        await Expect(price).ToContainTextAsync("5 ×");
        await Expect(price).ToContainTextAsync("global price list");
        await page.GetByText("Show details").ClickAsync();
        await Expect(price).ToContainTextAsync("CFQ7TTC0LH18:0001");
        await page.GetByLabel("Friendly name").FillAsync("Sales team");
        await page.GetByLabel("Purchase order number").FillAsync("PO-4711");
        await PortalServer.ScreenshotAsync(page, "add-subscription");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create subscription" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("5 × Microsoft 365 Business Basic bought");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sales team" });
        await Expect(row).ToContainTextAsync("CFQ7TTC0LH18:0001:CFQ7TTC0K971");
        await Expect(row).ToContainTextAsync("Active");

        // Add-on.
        await row.GetByText("Actions").ClickAsync();
        await row.GetByRole(AriaRole.Link, new() { Name = "Manage add-ons" }).ClickAsync();
        await page.GetByLabel("Quantity of Exchange Online Archiving").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add Exchange Online Archiving" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("2 × Exchange Online Archiving added");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the subscriptions" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Exchange Online Archiving" })).ToBeVisibleAsync();

        // Change quantity: the cost preview appears before Update.
        row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sales team" });
        await row.GetByText("Actions").ClickAsync();
        await row.GetByRole(AriaRole.Link, new() { Name = "Change quantity" }).ClickAsync();
        await page.GetByLabel("New quantity").FillAsync("8");
        await Expect(page.GetByTestId("cost-difference")).ToContainTextAsync("+");
        await Expect(page.GetByTestId("new-monthly-cost")).ToContainTextAsync("EUR");
        await PortalServer.ScreenshotAsync(page, "change-quantity");
        await page.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("now has 8 licenses");

        // Suspend with the dialog, then activate.
        row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sales team" });
        await row.GetByText("Actions").ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("Billing continues");
        await Expect(dialog).ToContainTextAsync("auto-renew is turned off");
        await PortalServer.ScreenshotAsync(page, "suspend-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Billing continues while it is suspended, and auto-renew is turned off");
        row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sales team" });
        await Expect(row).ToContainTextAsync("Suspended");

        await row.GetByText("Actions").ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sales team" });
        await Expect(row).ToContainTextAsync("Active");
        await PortalServer.ScreenshotAsync(page, "subscriptions");

        // At phone width the page still works: the table scrolls inside its frame, the actions stay reachable.
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Add subscription" })).ToBeVisibleAsync();
        var wide = await page.EvaluateAsync<string>("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !(e.parentElement && e.parentElement.closest('.table-wrap'))).map(e => e.tagName + '.' + e.className + '#' + e.id + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 8).concat([document.documentElement.scrollWidth, window.innerWidth]).join(' | ')");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page scrolls sideways at 390 px: " + wide);
        await PortalServer.ScreenshotAsync(page, "subscriptions-390");
        Assert.True(portal.PolicyViolations.Count == 0, string.Join("\n", portal.PolicyViolations)); // the dialog, the pickers and htmx run under the Content-Security-Policy

        // Partner Center agrees.
        using var emulator = new HttpClient { BaseAddress = new Uri(portal.Services.GetRequiredService<EmbeddedEmulator>().BaseUrl) };
        var state = JsonNode.Parse(await emulator.GetStringAsync("/_emulator/state"))!;
        var subscriptions = state["tenants"]!.AsArray().SelectMany(t => t!["subscriptions"]!.AsArray()).ToList();
        var bought = Assert.Single(subscriptions, s => s!["friendlyName"]!.GetValue<string>() == "Sales team")!;
        Assert.Equal(8, bought["quantity"]!.GetValue<int>());
        Assert.Equal("active", bought["status"]!.GetValue<string>());
        Assert.Contains(subscriptions, s => s!["parentSubscriptionId"]?.GetValue<Guid?>() == bought["id"]!.GetValue<Guid>());

        // A change made directly in Partner Center reaches the page through the real webhook (the scheduled reconcile is much later).
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
            var tenant = db.O365Services.Single(s => s.Domain.StartsWith("nwsubs")).TenantId!.Value;
            (await scope.ServiceProvider.GetRequiredService<PartnerCenterClient>()
                .UpdateSubscriptionAsync(tenant, bought["id"]!.GetValue<Guid>(), new SubscriptionChange(Quantity: 11))).Ok.ToString();
        }
        await page.SetViewportSizeAsync(1280, 900);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            await page.ReloadAsync();
            if ((await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sales team" }).InnerTextAsync()).Contains("\t11\t")) break;
            await Task.Delay(250);
        }
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sales team" }).GetByRole(AriaRole.Cell, new() { Name = "11", Exact = true })).ToBeVisibleAsync();
    }
}
