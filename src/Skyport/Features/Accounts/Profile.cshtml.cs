using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Web;

namespace Skyport.Features.Accounts;

public sealed class ProfileModel(ApiKeys apiKeys, Caller caller, UserManager<AppUser> users, SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty]
    public PasswordForm Password { get; set; } = new();

    public bool MustChange => User.HasClaim(SkyportClaimsFactory.MustChangePasswordClaim, "true");

    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (string.IsNullOrEmpty(Password.Current))
        {
            ModelState.AddModelError("Password.Current", "Enter your current password.");
        }
        if (string.IsNullOrEmpty(Password.New))
        {
            ModelState.AddModelError("Password.New", "Enter a new password.");
        }
        else if (Password.New != Password.Confirm)
        {
            ModelState.AddModelError("Password.Confirm", "The two new passwords differ.");
        }
        var user = await users.FindByIdAsync(caller.UserId.ToString());
        if (user is null)
        {
            return NotFound();
        }
        if (ModelState.IsValid)
        {
            var changed = await users.ChangePasswordAsync(user, Password.Current!, Password.New!);
            foreach (var error in changed.Errors)
            {
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? "Password.Current" : "Password.New",
                    error.Code == "PasswordMismatch" ? "The current password is not right." : error.Description);
            }
        }
        if (!ModelState.IsValid)
        {
            Keys = await apiKeys.ListAsync(caller.UserId, ct);
            return Page();
        }
        user.MustChangePassword = false;
        await users.UpdateAsync(user);
        await signIn.RefreshSignInAsync(user);
        TempData["Message"] = "Password changed.";
        return RedirectToPage();
    }

    public sealed class PasswordForm
    {
        public string? Current { get; set; }
        public string? New { get; set; }
        public string? Confirm { get; set; }
    }

    public Caller Caller => caller;
    public IReadOnlyList<ApiKeySummary> Keys { get; private set; } = [];

    [BindProperty]
    public string? Name { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Keys = await apiKeys.ListAsync(caller.UserId, ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var outcome = await apiKeys.CreateAsync(caller.UserId, Name, ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddFailure(outcome.Failure!);
            Keys = await apiKeys.ListAsync(caller.UserId, ct);
            return Page();
        }
        TempData["NewSecret"] = outcome.Value.Secret;
        TempData["Message"] = $"API key '{outcome.Value.Key.Name}' created.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid keyId, CancellationToken ct)
    {
        var outcome = await apiKeys.RevokeAsync(caller.UserId, keyId, ct);
        if (!outcome.Succeeded)
        {
            return NotFound();
        }
        TempData["Message"] = $"API key '{outcome.Value!.Name}' revoked.";
        return RedirectToPage();
    }
}
