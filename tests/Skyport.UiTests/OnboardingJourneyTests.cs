using Skyport.Tests.Infrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using netDumbster.smtp;
using Skyport.Data;
using Skyport.PartnerCenter;
using Skyport.UiTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Skyport.UiTests;

/// <summary>The portal with a real SMTP server on loopback, so the test reads the email a customer would get.</summary>
public sealed class PortalWithSmtp : PortalServer
{
    public PortalWithSmtp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithPort(port).Build();
        Set("Email:Smtp:Host", "127.0.0.1");
        Set("Email:Smtp:Port", port.ToString());
    }

    public SimpleSmtpServer Smtp { get; }

    public HttpClient Emulator() => new() { BaseAddress = new Uri(Services.GetRequiredService<EmbeddedEmulator>().BaseUrl) };
}

public sealed class OnboardingJourneyTests(PortalWithSmtp portal) : IClassFixture<PortalWithSmtp>
{
    [Fact]
    public async Task A_customer_adds_O365_CSP_Direct_and_the_emailed_credentials_sign_in()
    {
        var page = await portal.NewPageAsync();
        await page.SignInAsync(DemoData.Customer.Email, DemoData.Customer.Password);

        await page.OpenMenuAsync("E-store");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "O365 CSP Direct" })).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(page, "e-store");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add service" }).ClickAsync();

        // Pre-filled from Organization > Properties.
        await Expect(page.GetByLabel("First name")).ToHaveValueAsync("Nancy");
        await Expect(page.GetByLabel("Email")).ToHaveValueAsync("nancy.davolio@northwind.example");
        await Expect(page.GetByText("Northwind Traders").First).ToBeVisibleAsync();

        await page.GetByLabel("Domain prefix").FillAsync("northwind-traders");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add service" }).ClickAsync();
        await Expect(page.GetByText("The domain prefix can have only letters")).ToBeVisibleAsync();

        var prefix = "northwind" + Random.Shared.Next(1000, 9999);
        await page.GetByLabel("Domain prefix").FillAsync(prefix);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add service" }).ClickAsync();
        await Expect(page.GetByText("Accept the Microsoft Customer Agreement to add the service.")).ToBeVisibleAsync();

        // Here the customer's admin approves Skyport's admin access explicitly, as at Microsoft.
        using var emulator = portal.Emulator();
        (await emulator.PutAsJsonAsync("/_emulator/settings", new { gdapApproveAfterSeconds = -1 })).EnsureSuccessStatusCode();
        await page.GetByLabel("I accept the Microsoft Customer Agreement").CheckAsync();
        await PortalServer.ScreenshotAsync(page, "add-service");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add service" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"O365 CSP Direct requested for {prefix}.onmicrosoft.com");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"{prefix}.onmicrosoft.com" });
        await Expect(row).ToContainTextAsync("Awaiting the customer's approval of admin access");
        var approvalLink = row.GetByRole(AriaRole.Link, new() { Name = "Approval link" });
        await Expect(approvalLink).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^https://admin.microsoft.com/.+/granularAdminRelationships/"));
        await PortalServer.ScreenshotAsync(page, "my-services-awaiting-approval");
        var relationshipId = (await approvalLink.GetAttributeAsync("href"))!.Split('/')[^1];
        (await emulator.PostAsync($"/_emulator/relationships/{relationshipId}/approve", null)).EnsureSuccessStatusCode();

        for (var attempt = 0; attempt < 40 && !(await row.TextContentAsync() ?? "").Contains("Active"); attempt++)
        {
            await Task.Delay(250);
            await page.ReloadAsync();
        }
        await Expect(row).ToContainTextAsync("Active");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "Approval link" })).ToHaveCountAsync(0);
        await PortalServer.ScreenshotAsync(page, "my-services");

        var mail = await portal.Smtp.SingleEmailAsync(m => m.Subject.Contains(prefix));
        Assert.Equal("nancy.davolio@northwind.example", mail.ToAddresses.Single().Address);
        var body = mail.MessageParts[0].BodyData;
        var upn = body.Split('\n').Single(l => l.StartsWith("Sign-in name: ", StringComparison.Ordinal))["Sign-in name: ".Length..].Trim();
        var password = body.Split('\n').Single(l => l.StartsWith("Temporary password: ", StringComparison.Ordinal))["Temporary password: ".Length..].Trim();
        Assert.Equal($"nancy@{prefix}.onmicrosoft.com", upn);
        var signIn = await emulator.PostAsJsonAsync("/_emulator/signin", new { userPrincipalName = upn, password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task An_incomplete_address_is_reported_with_a_link_to_the_properties()
    {
        var page = await portal.NewPageAsync();
        await page.SignInAsync(DemoData.Reseller.Email, DemoData.Reseller.Password);
        await page.OpenMenuAsync("Organization");
        await page.GetByRole(AriaRole.Link, new() { Name = "New customer" }).ClickAsync();
        var name = "Contoso Pharmaceuticals " + Random.Shared.Next(100, 999);
        await page.GetByLabel("Company name").FillAsync(name);
        await page.GetByLabel("Country").FillAsync("US");
        await page.GetByLabel("First name").FillAsync("Dana");
        await page.GetByLabel("Last name").FillAsync("Reed");
        await page.GetByLabel("Email").FillAsync($"dana{Random.Shared.Next(1000, 9999)}@pharma.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create customer" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("created");

        await page.OpenMenuAsync("E-store");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add service" }).ClickAsync();
        await page.GetByLabel("Customer").SelectOptionAsync(new SelectOptionValue { Label = name });
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("address line 1, city, postal code, state or region");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add service" })).ToBeDisabledAsync();
        await PortalServer.ScreenshotAsync(page, "add-service-incomplete-address");
        await alert.GetByRole(AriaRole.Link, new() { Name = "Complete it under Organization > Properties" }).ClickAsync();
        await Expect(page.GetByLabel("Company name")).ToHaveValueAsync(name);
    }

}

/// <summary>A portal of its own: this journey adds the service to the demo customer too.</summary>
public sealed class OnboardingTakenDomainTests(PortalWithSmtp portal) : IClassFixture<PortalWithSmtp>
{
    [Fact]
    public async Task A_taken_domain_offers_the_relationship_link_and_the_tenant_is_linked_once_accepted()
    {
        var prefix = "existing" + Random.Shared.Next(1000, 9999);
        using var emulator = portal.Emulator();
        (await emulator.PostAsJsonAsync("/_emulator/tenants", new { domain = $"{prefix}.onmicrosoft.com", companyName = "Northwind (old tenant)" })).EnsureSuccessStatusCode();

        var page = await portal.NewPageAsync();
        await page.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        await page.OpenMenuAsync("E-store");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add service" }).ClickAsync();
        await page.GetByLabel("Customer").SelectOptionAsync(new SelectOptionValue { Label = "Northwind Traders" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByLabel("Domain prefix").FillAsync(prefix);
        await page.GetByLabel("I accept the Microsoft Customer Agreement").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add service" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"A Microsoft tenant already exists for {prefix}.onmicrosoft.com" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Relationship request link")).ToContainTextAsync("https://admin.microsoft.com/");
        await PortalServer.ScreenshotAsync(page, "add-service-domain-taken");

        (await emulator.PostAsync($"/_emulator/tenants/{prefix}.onmicrosoft.com/relationship", null)).EnsureSuccessStatusCode();
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the relationship again" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"the existing tenant {prefix}.onmicrosoft.com is linked");
    }
}
