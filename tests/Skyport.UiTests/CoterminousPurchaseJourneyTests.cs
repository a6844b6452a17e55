using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Skyport.Data;
using Skyport.Features.Catalog;
using Skyport.Features.Subscriptions;
using Skyport.UiTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Skyport.UiTests;

public sealed class CoterminousPurchaseJourneyTests(PortalServer portal) : IClassFixture<PortalServer>
{
    [Fact]
    public async Task A_subscription_bought_aligned_with_another_shows_its_first_terms_cost_and_renews_with_it()
    {
        var (customerId, _, _) = await NorthwindTenant.EnsureAsync(portal.Services);
        var tag = Random.Shared.Next(1000, 9999).ToString();
        DateOnly alignWith;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<ImportCatalog>().RunAsync(CancellationToken.None)).Succeeded);
            var bought = await scope.ServiceProvider.GetRequiredService<BuySubscription>().BuyAsync(customerId,
                new BuySubscriptionRequest("CFQ7TTC0LH18:0001:CFQ7TTC0K971", 2, $"Head office {tag}", null), null, CancellationToken.None);
            Assert.True(bought.Succeeded, bought.Failure?.Detail);
            alignWith = bought.Value!.RenewalDate;
        }
        var page = await portal.NewPageAsync();
        await page.SignInAsync(DemoData.Customer.Email, DemoData.Customer.Password);
        await page.GotoAsync($"/my-services/o365/{customerId}/subscriptions/add");
        await page.GetByLabel("Category").SelectOptionAsync("Microsoft 365");
        await page.GetByLabel("Product group").SelectOptionAsync("Business");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Microsoft 365 Business Basic" }).CheckAsync();
        var price = page.GetByRole(AriaRole.Region, new() { Name = "Price" });
        await Expect(price).ToContainTextAsync("1 ×", new() { Timeout = 20_000 });
        await page.GetByLabel("Term and billing").SelectOptionAsync("P1Y/annual");
        await Expect(price).ToContainTextAsync("EUR per year", new() { Timeout = 20_000 });
        await page.GetByLabel("Quantity", new() { Exact = true }).SelectOptionAsync("3");
        await Expect(price).ToContainTextAsync("3 ×", new() { Timeout = 20_000 });

        // The choices are the month end and the other subscription's term end; the first term's cost appears without a reload.
        var align = page.GetByLabel("Align the term end with");
        await Expect(align.Locator("option", new() { HasText = $"Head office {tag}" })).ToHaveCountAsync(1);
        await Expect(align.Locator("option", new() { HasText = "The end of the month" })).ToHaveCountAsync(1);
        await align.SelectOptionAsync(alignWith.ToString("yyyy-MM-dd"));
        // The price part asks Partner Center for the dates each time, so it may take a moment on a busy machine.
        await Expect(page.GetByTestId("first-term-cost")).ToContainTextAsync($"First term to {alignWith:d MMM yyyy}", new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("first-term-cost")).ToContainTextAsync("EUR");
        await page.GetByLabel("Friendly name").FillAsync($"Co-termed {tag}");
        await PortalServer.ScreenshotAsync(page, "add-subscription-coterminous");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create subscription" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("3 × Microsoft 365 Business Basic bought");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Co-termed {tag}" });
        await Expect(row).ToContainTextAsync(alignWith.ToString("yyyy-MM-dd"));
        Assert.True(portal.PolicyViolations.Count == 0, string.Join("\n", portal.PolicyViolations));
    }
}
