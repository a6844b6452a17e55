using Skyport.Tests.Infrastructure;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Skyport.Data;
using Skyport.Features.Catalog;
using Skyport.Features.Subscriptions;
using Skyport.Features.Tenants;
using Skyport.Features.Users;
using Skyport.UiTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Skyport.UiTests;

/// <summary>The customer administrator manages the users of Northwind's tenant.</summary>
public sealed class UserJourneyTests(PortalWithSmtp portal) : IClassFixture<PortalWithSmtp>
{
    /// <summary>Northwind with the O365 service (added once per portal, through the onboarding use case).</summary>
    private Task<(Guid CustomerId, string Domain, Guid TenantId)> NorthwindTenantAsync() => NorthwindTenant.EnsureAsync(portal.Services);

    private async Task<IPage> UsersPageAsync(Guid customerId, int width = 1280)
    {
        var page = await portal.NewPageAsync(width);
        await page.SignInAsync(DemoData.Customer.Email, DemoData.Customer.Password);
        await page.OpenMenuAsync("My Services");
        await page.GetByRole(AriaRole.Link, new() { Name = "Subscriptions of" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Microsoft O365 CSP Direct > Users");
        return page;
    }

    /// <summary>A Business Basic subscription of <paramref name="quantity"/> seats and new users (first names, user names "name.tag"), through the use cases.</summary>
    private async Task BuyWithUsersAsync(Guid customerId, string friendlyName, int quantity, string lastName, string tag, params string[] firstNames)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<ImportCatalog>().RunAsync(CancellationToken.None)).Succeeded);
        var bought = await scope.ServiceProvider.GetRequiredService<BuySubscription>().BuyAsync(customerId,
            new BuySubscriptionRequest("CFQ7TTC0LH18:0001:CFQ7TTC0K971", quantity, friendlyName, null), null, CancellationToken.None);
        Assert.True(bought.Succeeded, bought.Failure?.Detail);
        foreach (var name in firstNames)
        {
            var created = await scope.ServiceProvider.GetRequiredService<CreateTenantUser>().RunAsync(customerId, new NewTenantUserRequest(
                name, lastName, null, $"{name.ToLowerInvariant()}.{tag}", null, false, "Blue-Sky-42!", null), CancellationToken.None);
            Assert.True(created.Succeeded, created.Failure?.Detail);
        }
    }

    private static async Task FillNewUserAsync(IPage page, string first, string last, string userName)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "New user" }).ClickAsync();
        await page.GetByLabel("First name").FillAsync(first);
        await page.GetByLabel("Last name").FillAsync(last);
        await page.GetByLabel("User name", new() { Exact = true }).FillAsync(userName);
        await page.GetByLabel("Email address that receives the credentials").FillAsync("it@northwind.example");
    }

    [Fact]
    public async Task A_user_with_a_generated_password_is_created_listed_and_its_emailed_credentials_sign_in()
    {
        var (customerId, domain, _) = await NorthwindTenantAsync();
        var page = await UsersPageAsync(customerId);
        // The administrator made at onboarding is listed.
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = $"nancy@{domain}", Exact = true })).ToBeVisibleAsync(new() { Timeout = 10_000 });

        await FillNewUserAsync(page, "Adele", "Vance", "adele.vance");
        await Expect(page.GetByLabel("Usage location")).ToHaveValueAsync("DE");
        await Expect(page.GetByLabel("Generate password")).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeHiddenAsync();
        await PortalServer.ScreenshotAsync(page, "users-new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"User adele.vance@{domain} created");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"adele.vance@{domain}" });
        await Expect(row).ToContainTextAsync("Adele Vance");
        await Expect(row).ToContainTextAsync("Enabled");
        await PortalServer.ScreenshotAsync(page, "users-list");

        var mail = await portal.Smtp.SingleEmailAsync(m => m.MessageParts[0].BodyData.Contains($"adele.vance@{domain}"));
        Assert.Equal("it@northwind.example", mail.ToAddresses.Single().Address);
        var body = mail.MessageParts[0].BodyData;
        var password = body.Split('\n').Single(l => l.StartsWith("Temporary password: ", StringComparison.Ordinal))["Temporary password: ".Length..].Trim();
        using var emulator = portal.Emulator();
        var signIn = await emulator.PostAsJsonAsync("/_emulator/signin", new { userPrincipalName = $"adele.vance@{domain}", password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task A_chosen_password_names_each_broken_rule_beside_the_field_as_it_is_typed()
    {
        var (customerId, domain, _) = await NorthwindTenantAsync();
        var page = await UsersPageAsync(customerId, width: 390);
        await FillNewUserAsync(page, "Grace", "Hopper", "ghopper");
        await page.GetByLabel("Generate password").UncheckAsync();
        var password = page.GetByLabel("Password", new() { Exact = true });
        var rules = page.GetByRole(AriaRole.List, new() { Name = "Password problems" });

        foreach (var (typed, rule) in new[]
        {
            ("Ab1!x", "Use at least 8 characters."),
            ("abcdefg1!", "Add an upper-case letter."),
            ("ABCDEFG1!", "Add a lower-case letter."),
            ("Abcdefgh!", "Add a digit."),
            ("Abcdefg12", "Add a symbol such as ! # $ % or &."),
            ("xGhopper7!", "Do not use the user name in the password."),
            ("My-Grace-7", "Do not use \"Grace\", a part of the name, in the password."),
        })
        {
            await password.FillAsync(typed);
            await Expect(rules).ToContainTextAsync(rule);
        }
        await PortalServer.ScreenshotAsync(page, "users-new-password-rules-390");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(rules).ToContainTextAsync("Do not use \"Grace\", a part of the name, in the password.");

        await password.FillAsync("Blue-Sky-42!");
        await Expect(rules).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"User ghopper@{domain} created");
        using var emulator = portal.Emulator();
        Assert.Equal(HttpStatusCode.OK, (await emulator.PostAsJsonAsync("/_emulator/signin", new { userPrincipalName = $"ghopper@{domain}", password = "Blue-Sky-42!" })).StatusCode);
        Assert.True(portal.PolicyViolations.Count == 0, string.Join("\n", portal.PolicyViolations)); // the password toggle and htmx run under the Content-Security-Policy
    }

    [Fact]
    public async Task People_are_imported_from_the_directory_and_users_exported_to_it()
    {
        var (customerId, domain, _) = await NorthwindTenantAsync();
        var page = await UsersPageAsync(customerId);
        await page.GetByRole(AriaRole.Link, new() { Name = "User import" }).ClickAsync();
        await page.GetByLabel("First name").FillAsync("Hedy");
        await page.GetByLabel("Last name").FillAsync("Lamarr");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("hedy.lamarr@northwind.example");
        await page.GetByLabel("Job title").FillAsync("Inventor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();
        await page.GetByLabel("Select Hedy Lamarr").CheckAsync();
        await page.GetByLabel("Email address that receives the passwords").FillAsync("it@northwind.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import users" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "What happened" })).ToContainTextAsync($"Hedy Lamarr (hedy.lamarr@{domain}): created");
        await PortalServer.ScreenshotAsync(page, "users-import");
        await portal.Smtp.SingleEmailAsync(m => m.MessageParts[0].BodyData.Contains($"Sign-in name: hedy.lamarr@{domain}"));

        // Importing the same person again reports it and creates nothing.
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the user import" }).ClickAsync();
        await page.GetByLabel("Select Hedy Lamarr").CheckAsync();
        await page.GetByLabel("Email address that receives the passwords").FillAsync("it@northwind.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import users" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "What happened" })).ToContainTextAsync("already exists, nothing changed");

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the users" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "User export" }).ClickAsync();
        await page.GetByLabel($"Select Nancy Davolio (nancy@{domain})").CheckAsync();
        await page.GetByLabel("Email address that receives the passwords").FillAsync("hr@northwind.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Export users" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "What happened" })).ToContainTextAsync($"Nancy Davolio (nancy@{domain}): created");
        await PortalServer.ScreenshotAsync(page, "users-export");
        var mail = await portal.Smtp.SingleEmailAsync(m => m.ToAddresses.Single().Address == "hr@northwind.example");
        Assert.Contains("Directory password: ", mail.MessageParts[0].BodyData);
    }

    [Fact]
    public async Task A_user_created_directly_in_the_emulator_appears_without_a_reload()
    {
        var (customerId, domain, tenantId) = await NorthwindTenantAsync();
        var page = await UsersPageAsync(customerId);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = $"nancy@{domain}", Exact = true })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await page.EvaluateAsync("window.notReloaded = true");

        using var emulator = portal.Emulator();
        var created = await emulator.PostAsync("/_emulator/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["tenantId"] = tenantId.ToString(),
            ["userName"] = "made.in.pc",
            ["displayName"] = "Made In Partner Center",
            ["usageLocation"] = "FR",
            ["password"] = "Str0ng!Passw0rd",
        }));
        Assert.True(created.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.OK);

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"made.in.pc@{domain}" });
        await Expect(row).ToContainTextAsync("FR", new() { Timeout = 10_000 });
        Assert.True(await page.EvaluateAsync<bool>("window.notReloaded === true"));
    }

    [Fact]
    public async Task Several_users_are_subscribed_at_once_one_is_unsubscribed_and_consumed_units_follow()
    {
        var (customerId, domain, _) = await NorthwindTenantAsync();
        var tag = Random.Shared.Next(1000, 9999).ToString();
        var friendlyName = $"Sales team {tag}";
        await BuyWithUsersAsync(customerId, friendlyName, 3, "Licensed" + tag, tag, "Ada", "Alan");
        var ada = $"ada.{tag}@{domain}";
        var alan = $"alan.{tag}@{domain}";
        var subscriptionName = $"Microsoft 365 Business Basic ({friendlyName})";
        var page = await UsersPageAsync(customerId);

        await page.GetByLabel($"Select {ada}").CheckAsync();
        await page.GetByLabel($"Select {alan}").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign subscriptions" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Assign subscriptions");
        await Expect(page.GetByText("2 users:")).ToBeVisibleAsync();
        var choice = page.GetByRole(AriaRole.Row).Filter(new() { HasText = subscriptionName });
        await Expect(choice.GetByRole(AriaRole.Cell).Nth(6)).ToHaveTextAsync("3");
        await choice.GetByLabel($"Select {subscriptionName}").CheckAsync();
        await PortalServer.ScreenshotAsync(page, "users-assign-subscriptions");
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();

        // The job page: its progress bar fills (htmx polls it), then what happened, and the way back to the users.
        await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "2 of 2 users done" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "What happened" })).ToContainTextAsync("2 of 2 users done.");
        await PortalServer.ScreenshotAsync(page, "users-subscribe-job");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the users" }).ClickAsync(); // one link, not two
        var adaRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = ada });
        await adaRow.GetByText("1", new() { Exact = true }).ClickAsync();
        await Expect(adaRow).ToContainTextAsync(subscriptionName);
        await PortalServer.ScreenshotAsync(page, "users-after-subscribe");
        await page.SetViewportSizeAsync(390, 844);
        await PortalServer.ScreenshotAsync(page, "users-after-subscribe-390");
        await page.SetViewportSizeAsync(1280, 900);

        await adaRow.GetByText("Actions").ClickAsync();
        await adaRow.GetByRole(AriaRole.Link, new() { Name = $"Subscriptions of {ada}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Subscriptions of Ada Licensed{tag}");
        var held = page.GetByRole(AriaRole.Form, new() { Name = "Assigned subscriptions" });
        await held.GetByLabel($"Select {subscriptionName}").CheckAsync();
        await PortalServer.ScreenshotAsync(page, "users-user-subscriptions");
        await held.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe" }).ClickAsync();
        // The freed seat was added minutes ago, inside its 168-hour window: the page offers to remove it, with the refund.
        var freed = page.GetByRole(AriaRole.Form, new() { Name = "Remove the freed seats?" });
        await Expect(freed).ToContainTextAsync($"1 seat of {friendlyName}");
        await Expect(freed.GetByTestId("seats-refund")).ToContainTextAsync("EUR");
        await PortalServer.ScreenshotAsync(page, "users-unsubscribe-freed-seats");
        await freed.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe and remove the seats" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "What happened" })).ToContainTextAsync($"{ada}: done", new() { Timeout = 30_000 });
        await page.GetByRole(AriaRole.Link, new() { Name = $"Back to the subscriptions of {ada}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Form, new() { Name = "Assigned subscriptions" })).ToContainTextAsync("This user has no licenses.");

        await page.GotoAsync($"/my-services/o365/{customerId}/subscriptions");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = friendlyName });
        await Expect(row.GetByRole(AriaRole.Cell).Nth(4)).ToHaveTextAsync("1");
        await Expect(row.GetByRole(AriaRole.Cell).Nth(3)).ToHaveTextAsync("2");
    }

    [Fact]
    public async Task Subscribe_needing_more_licenses_than_are_free_adds_the_missing_seats_first_with_their_cost()
    {
        var (customerId, domain, _) = await NorthwindTenantAsync();
        var tag = Random.Shared.Next(1000, 9999).ToString();
        var friendlyName = $"Front desk {tag}";
        await BuyWithUsersAsync(customerId, friendlyName, 1, "Seated" + tag, tag, "Greta", "Hugo", "Ines");
        var subscriptionName = $"Microsoft 365 Business Basic ({friendlyName})";
        var page = await UsersPageAsync(customerId);
        foreach (var name in new[] { "greta", "hugo", "ines" })
        {
            await page.GetByLabel($"Select {name}.{tag}@{domain}").CheckAsync();
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign subscriptions" }).ClickAsync();
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = subscriptionName }).GetByLabel($"Select {subscriptionName}").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();

        // Three users, one free license: the page offers the two missing seats with their cost, nothing bought yet.
        var offer = page.GetByRole(AriaRole.Form, new() { Name = "Not enough free licenses" });
        // Licenses are counted by product: a free one of another Business Basic subscription counts too.
        await Expect(offer).ToContainTextAsync($"of {friendlyName}");
        await Expect(offer.GetByTestId("seats-cost")).ToContainTextAsync("EUR");
        await PortalServer.ScreenshotAsync(page, "users-subscribe-missing-seats");
        await offer.GetByRole(AriaRole.Button, new() { Name = "Add the seats and subscribe" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "What happened" })).ToContainTextAsync("3 of 3 users done.", new() { Timeout = 30_000 });

        await page.GotoAsync($"/my-services/o365/{customerId}/subscriptions");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = friendlyName });
        await Expect(row.GetByRole(AriaRole.Cell).Nth(4)).Not.ToHaveTextAsync("0");
        Assert.True(int.Parse(await row.GetByRole(AriaRole.Cell).Nth(3).InnerTextAsync()) > 1, "the missing seats were added to the subscription");
    }
}
