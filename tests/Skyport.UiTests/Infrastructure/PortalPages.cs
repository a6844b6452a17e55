using Microsoft.Playwright;

namespace Skyport.UiTests.Infrastructure;

/// <summary>Page objects: what a person does, by role and accessible name only.</summary>
public static class PortalPages
{
    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).WaitForAsync();
    }

    public static async Task OpenMenuAsync(this IPage page, string item) =>
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = item, Exact = true }).ClickAsync();
}
