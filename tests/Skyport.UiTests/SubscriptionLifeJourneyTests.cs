using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Skyport.Data;
using Skyport.UiTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Skyport.UiTests;

/// <summary>The life of a subscription after it is bought (#13): change at renewal, end of term, cancel within 168 hours.</summary>
public sealed class SubscriptionLifeJourneyTests(PortalWithKey portal) : IClassFixture<PortalWithKey>
{
    private const string BusinessBasic = "CFQ7TTC0LH18:0001:CFQ7TTC0K971";

    [Fact]
    public async Task A_customer_schedules_a_quantity_at_renewal_sees_it_is_warned_before_an_immediate_change_and_removes_it()
    {
        var customerId = await BuyAsync("Warehouse", 4);
        var page = await SignedInAtSubscriptionsAsync(customerId);

        await OpenActionAsync(page, "Warehouse", "Change at renewal");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Change at renewal");
        var quantity = page.GetByLabel("Quantity at renewal");
        await Expect(quantity).ToHaveValueAsync("4");

        // Nothing changed: said beside the first field, in the page's words.
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule" }).ClickAsync();
        await Expect(page.Locator("[data-valmsg-for=Quantity]")).ToHaveTextAsync("This is how the subscription renews already: change its quantity, product, term or billing frequency at renewal.");
        // A bad quantity: the error is shown beside the field and nothing is scheduled.
        await quantity.FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule" }).ClickAsync();
        await Expect(page.Locator("[data-valmsg-for=Quantity]")).ToContainTextAsync("between 1 and 10,000");
        await Expect(quantity).ToHaveValueAsync("0");
        await PortalServer.ScreenshotAsync(page, "change-at-renewal-error");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the subscriptions" }).ClickAsync();
        await Expect(Row(page, "Warehouse").GetByTestId("scheduled-renewal")).ToHaveCountAsync(0);

        await OpenActionAsync(page, "Warehouse", "Change at renewal");
        await page.GetByLabel("Quantity at renewal").FillAsync("2");
        await PortalServer.ScreenshotAsync(page, "change-at-renewal");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule" }).ClickAsync();
        var row = Row(page, "Warehouse");
        var renewalDate = (await SubscriptionAsync(customerId, "Warehouse")).GetProperty("renewalDate").GetString();
        await Expect(row).ToContainTextAsync(renewalDate!);
        // The message names the same renewal date as the list, and what changes then.
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"changes at its renewal (renewal date {renewalDate}): 2 licenses");
        await Expect(row.GetByTestId("scheduled-renewal")).ToHaveTextAsync("At renewal: 2 licenses");
        await Expect(row.GetByRole(AriaRole.Cell, new() { Name = "4", Exact = true }).First).ToBeVisibleAsync(); // today's quantity is unchanged
        await PortalServer.ScreenshotAsync(page, "subscriptions-scheduled");

        // The page opens again on what is scheduled, and Change quantity warns that an immediate change deletes it.
        await OpenActionAsync(page, "Warehouse", "Change at renewal");
        await Expect(page.GetByLabel("Quantity at renewal")).ToHaveValueAsync("2");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the subscriptions" }).ClickAsync();
        await OpenActionAsync(page, "Warehouse", "Change quantity");
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "deletes the change scheduled at renewal" })).ToContainTextAsync("2 licenses");
        await PortalServer.ScreenshotAsync(page, "change-quantity-warning");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the subscriptions" }).ClickAsync();

        row = Row(page, "Warehouse");
        await row.GetByText("Actions").ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Remove the change at renewal of Microsoft 365 Business Basic (Warehouse)" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("renews as it is: the change at renewal is removed");
        await Expect(Row(page, "Warehouse").GetByTestId("scheduled-renewal")).ToHaveCountAsync(0);
        var stored = await SubscriptionAsync(customerId, "Warehouse");
        Assert.True(!stored.TryGetProperty("scheduledRenewal", out var scheduled) || scheduled.ValueKind == JsonValueKind.Null, stored.ToString());
        Assert.Equal(4, stored.GetProperty("quantity").GetInt32());
        Assert.True(portal.PolicyViolations.Count == 0, string.Join("\n", portal.PolicyViolations));
    }

    [Fact]
    public async Task A_customer_sees_what_each_end_of_term_costs_and_chooses_the_extended_term_then_cancel_at_term_end()
    {
        var customerId = await BuyAsync("Reception", 3);
        var page = await SignedInAtSubscriptionsAsync(customerId);
        await Expect(Row(page, "Reception")).ToContainTextAsync("At term end: renews");

        await OpenActionAsync(page, "Reception", "End of term");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("End of term");
        var choices = page.GetByRole(AriaRole.Group, new() { Name = "At the end of the term" });
        var renew = choices.GetByRole(AriaRole.Radio, new() { Name = "Renew" });
        var extend = choices.GetByRole(AriaRole.Radio, new() { Name = "Extended service term" });
        var cancel = choices.GetByRole(AriaRole.Radio, new() { Name = "Cancel at term end" });
        await Expect(renew).ToBeCheckedAsync();
        await Expect(page.GetByTestId("renewal-price")).ToContainTextAsync("EUR a license per month");
        await Expect(page.GetByTestId("renewal-price")).ToContainTextAsync("EUR a month for 3 licenses");
        await Expect(page.GetByTestId("extended-price")).ToContainTextAsync("EUR a month for 3 licenses");
        await Expect(page.GetByTestId("extended-price")).ToContainTextAsync("EUR a license per month");
        await Expect(page.GetByTestId("cancel-price")).ToContainTextAsync("nothing more to pay");
        // The extended service term costs the monthly price plus 3 %.
        var monthly = Amount(await page.GetByTestId("renewal-price").InnerTextAsync());
        var extended = Amount(await page.GetByTestId("extended-price").InnerTextAsync());
        Assert.Equal(Math.Round(monthly * 1.03m, 2), extended);
        await PortalServer.ScreenshotAsync(page, "end-of-term");

        await extend.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var renewalDate = (await SubscriptionAsync(customerId, "Reception")).GetProperty("renewalDate").GetString();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"at the end of its term on {renewalDate}, it continues month to month in the extended service term");
        await Expect(Row(page, "Reception")).ToContainTextAsync("At term end: extended service term");
        Assert.False((await SubscriptionAsync(customerId, "Reception")).GetProperty("autoRenew").GetBoolean());

        // Without auto-renew nothing renews, so nothing can change at renewal: the refusal is shown, once, above the form.
        await OpenActionAsync(page, "Reception", "Change at renewal");
        await page.GetByLabel("Quantity at renewal").FillAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Changes at renewal need auto-renew on: the subscription does not renew.");
        await PortalServer.ScreenshotAsync(page, "change-at-renewal-refused");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the subscriptions" }).ClickAsync();
        await Expect(Row(page, "Reception").GetByTestId("scheduled-renewal")).ToHaveCountAsync(0);

        await OpenActionAsync(page, "Reception", "End of term");
        await Expect(extend).ToBeCheckedAsync();
        await cancel.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"at the end of its term on {renewalDate}, it ends");
        await Expect(Row(page, "Reception")).ToContainTextAsync("At term end: cancels");
        await PortalServer.ScreenshotAsync(page, "subscriptions-end-of-term");
        Assert.Equal("cancel", (await SubscriptionAsync(customerId, "Reception")).GetProperty("endOfTermAction").GetString());
        Assert.True(portal.PolicyViolations.Count == 0, string.Join("\n", portal.PolicyViolations));
    }

    [Fact]
    public async Task A_customer_cancels_within_168_hours_seeing_the_refund_before_confirming()
    {
        var customerId = await BuyAsync("Trial desk", 5);
        var page = await SignedInAtSubscriptionsAsync(customerId);

        await OpenActionAsync(page, "Trial desk", "Cancel subscription");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cancel subscription");
        var refund = page.GetByTestId("refund");
        await Expect(refund).ToContainTextAsync("EUR");
        Assert.True(Amount(await refund.InnerTextAsync()) > 0, "a subscription cancelled on the day it is bought gives money back");
        await PortalServer.ScreenshotAsync(page, "cancel-subscription");
        var refunded = (await refund.InnerTextAsync()).Trim();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel subscription" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"is cancelled; {refunded} is refunded");
        var row = Row(page, "Trial desk");
        await Expect(row).ToContainTextAsync("Cancelled");
        await Expect(row).Not.ToContainTextAsync("At term end"); // nothing happens at the term end of a cancelled subscription
        await Expect(row).Not.ToContainTextAsync("a month");
        await row.GetByText("Actions").ClickAsync();
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "Cancel subscription" })).ToHaveCountAsync(0);
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "Manage add-ons" })).ToHaveCountAsync(0); // a cancelled base takes no add-on
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "History" })).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(page, "subscriptions-cancelled");
        Assert.Equal("cancelled", (await SubscriptionAsync(customerId, "Trial desk")).GetProperty("status").GetString());
        Assert.True(portal.PolicyViolations.Count == 0, string.Join("\n", portal.PolicyViolations));
    }

    private static ILocator Row(IPage page, string friendlyName) => page.GetByRole(AriaRole.Row).Filter(new() { HasText = friendlyName });

    private static async Task OpenActionAsync(IPage page, string friendlyName, string action)
    {
        var row = Row(page, friendlyName);
        await row.GetByText("Actions").ClickAsync();
        await row.GetByRole(AriaRole.Link, new() { Name = action, Exact = true }).ClickAsync();
    }

    private static decimal Amount(string text) =>
        decimal.Parse(System.Text.RegularExpressions.Regex.Match(text, @"\d[\d,]*\.\d{2}").Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<IPage> SignedInAtSubscriptionsAsync(string customerId)
    {
        var page = await portal.NewPageAsync();
        await page.SignInAsync(DemoData.Customer.Email, DemoData.Customer.Password);
        await page.GotoAsync($"/my-services/o365/{customerId}/subscriptions");
        return page;
    }

    /// <summary>Northwind's O365 service (added once per portal) with a new Business Basic subscription; returns Northwind's id.</summary>
    private async Task<string> BuyAsync(string friendlyName, int quantity)
    {
        using var api = portal.Api();
        (await api.PostAsync("/api/v1/catalog/import", null)).EnsureSuccessStatusCode();
        var organizations = await api.GetFromJsonAsync<JsonElement>("/api/v1/organizations?pageSize=500");
        var northwind = organizations.GetProperty("items").EnumerateArray().Single(o => o.GetProperty("name").GetString() == DemoData.Customer.Organization).GetProperty("id").GetString()!;
        if ((await api.GetAsync($"/api/v1/customers/{northwind}/o365")).StatusCode == HttpStatusCode.NotFound)
        {
            (await api.PostAsJsonAsync($"/api/v1/customers/{northwind}/o365", new { domainPrefix = "nwlife" + Random.Shared.Next(1000, 9999), microsoftCustomerAgreement = new { accepted = true } })).EnsureSuccessStatusCode();
        }
        (await api.PostAsJsonAsync($"/api/v1/customers/{northwind}/o365/subscriptions", new { offerId = BusinessBasic, quantity, friendlyName })).EnsureSuccessStatusCode();
        return northwind;
    }

    private async Task<JsonElement> SubscriptionAsync(string customerId, string friendlyName)
    {
        using var api = portal.Api();
        var list = await api.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{customerId}/o365/subscriptions");
        return list.GetProperty("items").EnumerateArray().Single(s => s.TryGetProperty("friendlyName", out var name) && name.GetString() == friendlyName);
    }
}
