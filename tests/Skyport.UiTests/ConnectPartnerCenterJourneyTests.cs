using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Skyport.Data;
using Skyport.PartnerCenter;
using Skyport.PartnerCenterEmulator;
using Skyport.UiTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Skyport.UiTests;

public sealed class ConnectPartnerCenterJourneyTests(PortalServer portal) : IClassFixture<PortalServer>
{
    [Fact]
    public async Task A_broker_signs_in_with_Microsoft_with_password_and_code_and_comes_back_connected()
    {
        var options = new EmulatorOptions();
        var emulator = portal.Services.GetRequiredService<EmbeddedEmulator>().BaseUrl;
        using var control = new HttpClient();
        var code = (await control.GetFromJsonAsync<JsonElement>($"{emulator}/_emulator/partner/users/{options.AdminAgentUserPrincipalName}/mfa-code")).GetProperty("code").GetString()!;

        var page = await portal.NewPageAsync();
        await page.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        await page.OpenMenuAsync("Connect Partner Center");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Connect Partner Center" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Application ID")).ToHaveValueAsync("skyport");
        await Expect(page.GetByLabel("Client secret")).ToHaveValueAsync("");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft" }).ClickAsync();

        // Microsoft's sign-in page (the emulator's): the password, then the code from the authenticator app.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GetByLabel("Email, phone, or Skype").FillAsync(options.AdminAgentUserPrincipalName);
        await page.GetByLabel("Password").FillAsync(EmulatorOptions.DefaultAdminAgentPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Verify your identity" })).ToBeVisibleAsync();
        await page.GetByLabel("Code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Signed in to Partner Center as {options.AdminAgentUserPrincipalName}.");
        await Expect(page.GetByText($"Partner admin agent ({options.AdminAgentUserPrincipalName})")).ToBeVisibleAsync();
        await Expect(page.GetByText("Sign in again by")).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(page, "connect-partner-center");
        Assert.Empty(portal.PolicyViolations);
    }
}
