using Microsoft.Playwright;
using Skyport.Data;
using Skyport.UiTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Skyport.UiTests;

public sealed class OrganizationPropertiesTests(PortalServer portal) : IClassFixture<PortalServer>
{
    public static TheoryData<string> DemoUsers => new() { "broker", "reseller", "customer" };

    [Theory]
    [MemberData(nameof(DemoUsers))]
    public async Task Each_demo_user_signs_in_edits_the_properties_and_sees_the_change(string who)
    {
        var login = who switch { "broker" => DemoData.Broker, "reseller" => DemoData.Reseller, _ => DemoData.Customer };
        var page = await portal.NewPageAsync();
        await page.SignInAsync(login.Email, login.Password);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Welcome");
        await PortalServer.ScreenshotAsync(page, $"home-{who}");

        await page.OpenMenuAsync("Organization");
        await PortalServer.ScreenshotAsync(page, $"organizations-{who}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Properties", Exact = true }).ClickAsync();
        await Expect(page.GetByLabel("Company name")).ToHaveValueAsync(login.Organization);

        var line2 = $"Suite {Random.Shared.Next(100, 999)}";
        await page.GetByLabel("Address line 2").FillAsync(line2);
        await page.GetByLabel("Phone").FillAsync("+49 30 555 0123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save properties" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Properties saved.");
        await page.ReloadAsync();
        await Expect(page.GetByLabel("Address line 2")).ToHaveValueAsync(line2);
        await Expect(page.GetByLabel("Phone")).ToHaveValueAsync("+49 30 555 0123");
        await PortalServer.ScreenshotAsync(page, $"properties-{who}");
    }

    [Fact]
    public async Task A_bad_country_and_email_are_named_beside_their_fields_and_nothing_is_saved()
    {
        var page = await portal.NewPageAsync();
        await page.SignInAsync(DemoData.Customer.Email, DemoData.Customer.Password);
        await page.GotoAsync("/organization/properties");
        var city = await page.GetByLabel("City").InputValueAsync();

        await page.GetByLabel("City").FillAsync("Nowhere");
        await page.GetByLabel("Country").FillAsync("XX");
        await page.GetByLabel("Email").FillAsync("nancy@");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save properties" }).ClickAsync();

        await Expect(page.GetByText("'XX' is not an ISO 3166 country code")).ToBeVisibleAsync();
        await Expect(page.GetByText("'nancy@' is not an email address.")).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(page, "properties-errors");
        await page.GotoAsync("/organization/properties");
        await Expect(page.GetByLabel("City")).ToHaveValueAsync(city);
    }

    [Fact]
    public async Task The_reseller_sets_its_billing_cycle_end_day_and_a_wrong_one_is_refused()
    {
        var page = await portal.NewPageAsync();
        await page.SignInAsync(DemoData.Reseller.Email, DemoData.Reseller.Password);
        await page.GotoAsync("/organization/properties");

        await page.GetByLabel("Cycle end day").FillAsync("32");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save billing settings" }).ClickAsync();
        await Expect(page.GetByText("The cycle end day must be between 1 and 31.")).ToBeVisibleAsync();

        await page.GetByLabel("Cycle end day").FillAsync("20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save billing settings" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Billing settings saved.");
        await Expect(page.GetByLabel("Cycle end day")).ToHaveValueAsync("20");
    }

    [Fact]
    public async Task The_layout_works_on_a_phone()
    {
        var page = await portal.NewPageAsync(390, 844);
        await page.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        await page.OpenMenuAsync("Organization");
        await page.GetByRole(AriaRole.Link, new() { Name = "Properties", Exact = true }).ClickAsync();
        await Expect(page.GetByLabel("Company name")).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "The page scrolls sideways at 390 px.");
        await PortalServer.ScreenshotAsync(page, "properties-phone");
    }
}
