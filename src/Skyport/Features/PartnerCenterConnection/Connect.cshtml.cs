using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Identity.Client;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.PartnerCenterConnection;

[Authorize(Policy = Policies.Broker)]
public sealed class ConnectModel(ConnectPartnerCenter connect, EntraTokenProvider tokens, IDataProtectionProvider protection) : PageModel
{
    public const string SignInCookie = "skyport.partner-center-sign-in";
    public const string CallbackPath = "/partner-center/signed-in";

    [BindProperty]
    public ConnectForm Input { get; set; } = new();

    public ConnectPartnerCenter.Status Current { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Current = await connect.StatusAsync(ct);
        Input = new ConnectForm { TenantId = Current.Settings.TenantId, ClientId = Current.Settings.ClientId };
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        var outcome = await connect.SaveAsync(Input.TenantId, Input.ClientId, Input.ClientSecret, ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = "Partner Center settings saved.";
            return RedirectToPage();
        }
        Current = await connect.StatusAsync(ct);
        ModelState.Clear();
        ModelState.AddFailure(outcome.Failure!, nameof(Input));
        Input.ClientSecret = null;
        return Page();
    }

    /// <summary>"Sign in with Microsoft": MSAL's authorize URL with PKCE; the verifier and state wait in an encrypted cookie.</summary>
    public async Task<IActionResult> OnGetSignInAsync(CancellationToken ct)
    {
        var redirectUri = CallbackUri(Request);
        try
        {
            var (url, verifier, state) = await tokens.StartSignInAsync(redirectUri, ct);
            Response.Cookies.Append(SignInCookie, Protector(protection).Protect(string.Join('\n', state, verifier, redirectUri)), new CookieOptions
            {
                HttpOnly = true,
                Secure = Request.IsHttps,
                // Lax: the cookie must come back on the top-level redirect from Microsoft's sign-in page.
                SameSite = SameSiteMode.Lax,
                Path = "/partner-center",
                MaxAge = TimeSpan.FromMinutes(15),
            });
            return Redirect(url.ToString());
        }
        catch (Exception e) when (e is MsalException or HttpRequestException or ArgumentException)
        {
            Current = await connect.StatusAsync(ct);
            Input = new ConnectForm { TenantId = Current.Settings.TenantId, ClientId = Current.Settings.ClientId };
            ModelState.AddModelError(string.Empty, "The sign-in could not start: " + e.Message);
            return Page();
        }
    }

    public static string CallbackUri(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{CallbackPath}";

    public static IDataProtector Protector(IDataProtectionProvider protection) => protection.CreateProtector("Skyport.PartnerCenter.SignIn.v1");

    public sealed class ConnectForm
    {
        public string? TenantId { get; set; }
        public string? ClientId { get; set; }
        public string? ClientSecret { get; set; }
    }
}
