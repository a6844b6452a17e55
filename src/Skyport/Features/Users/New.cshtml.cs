using Microsoft.AspNetCore.Mvc;
using Skyport.Data;
using Skyport.Web;

namespace Skyport.Features.Users;

public sealed class NewUserModel(SkyportDbContext db, TenantUsers users, CreateTenantUser create) : TenantPageModel(db, users)
{
    [BindProperty]
    public NewUserForm Input { get; set; } = new();

    public IReadOnlyList<string> PasswordProblems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadServiceAsync(customerId, ct))
        {
            return NotFound();
        }
        Input = new NewUserForm { UsageLocation = CustomerCountry };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadServiceAsync(customerId, ct))
        {
            return NotFound();
        }
        var outcome = await create.RunAsync(customerId, new NewTenantUserRequest(
            Input.FirstName, Input.LastName, Input.DisplayName, Input.UserName, Input.UsageLocation, Input.GeneratePassword,
            Input.GeneratePassword ? null : Input.Password, Input.SendCredentialsTo), ct);
        if (outcome.Succeeded)
        {
            var user = outcome.Value!.User;
            TempData["Message"] = Input.GeneratePassword
                ? $"User {user.UserPrincipalName} created. The sign-in name and password were emailed to {Input.SendCredentialsTo?.Trim()}."
                : $"User {user.UserPrincipalName} created.";
            return Redirect("~" + UsersPath);
        }
        ModelState.Clear();
        ModelState.AddFailure(outcome.Failure!, nameof(Input));
        if (outcome.Failure!.Errors is null)
        {
            ModelState.AddModelError(string.Empty, outcome.Failure.Detail);
        }
        PasswordProblems = outcome.Failure.Errors?.GetValueOrDefault("password") ?? [];
        return Page();
    }

    /// <summary>The password's broken rules as the person types (htmx), from the same policy the create checks.</summary>
    public async Task<IActionResult> OnPostCheckPasswordAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadServiceAsync(customerId, ct))
        {
            return NotFound();
        }
        var upn = UserNameRules.UserPrincipalName(Input.UserName, Service.Domain);
        var display = string.IsNullOrWhiteSpace(Input.DisplayName) ? $"{Input.FirstName} {Input.LastName}".Trim() : Input.DisplayName;
        PasswordProblems = string.IsNullOrEmpty(Input.Password) ? [] : PasswordPolicy.Check(Input.Password, upn, Input.FirstName, Input.LastName, display);
        return Partial("_PasswordRules", this);
    }

    public sealed class NewUserForm
    {
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? DisplayName { get; set; }
        public string? UserName { get; set; }
        public string? UsageLocation { get; set; }
        public string? SendCredentialsTo { get; set; }
        public bool GeneratePassword { get; set; } = true;
        public string? Password { get; set; }
    }
}
