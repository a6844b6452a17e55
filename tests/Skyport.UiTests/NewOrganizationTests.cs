using Microsoft.Playwright;
using Skyport.Data;
using Skyport.UiTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Skyport.UiTests;

public sealed class NewOrganizationTests(PortalServer portal) : IClassFixture<PortalServer>
{
    [Fact]
    public async Task A_reseller_creates_a_customer_whose_administrator_is_emailed()
    {
        var page = await portal.NewPageAsync();
        await page.SignInAsync(DemoData.Reseller.Email, DemoData.Reseller.Password);
        await page.OpenMenuAsync("Organization");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "New reseller" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "New customer" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Create customer" }).ClickAsync();
        await Expect(page.GetByText("Enter the organization's name.")).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(page, "new-customer-errors");

        await page.GetByLabel("Company name").FillAsync("Tailspin Toys");
        await page.GetByLabel("Country").FillAsync("AT");
        await page.GetByLabel("First name").FillAsync("Tomas");
        await page.GetByLabel("Last name").FillAsync("Berger");
        await page.GetByLabel("Email").FillAsync("tomas@tailspin.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create customer" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Tailspin Toys created.");
        await Expect(page.GetByLabel("Company name")).ToHaveValueAsync("Tailspin Toys");
        await page.OpenMenuAsync("Organization");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Tailspin Toys" })).ToBeVisibleAsync();

        var broker = await portal.NewPageAsync();
        await broker.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        await broker.OpenMenuAsync("Outbox");
        await broker.GetByText("Your Skyport account for Tailspin Toys").ClickAsync();
        await Expect(broker.GetByText("Sign-in name: tomas@tailspin.example")).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(broker, "outbox");
    }
}
