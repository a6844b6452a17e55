using System.Security.Cryptography;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Identity.Client;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.PartnerCenterConnection;

/// <summary>Where Microsoft's sign-in sends the broker back: checks the state, redeems the code with the PKCE verifier through MSAL.</summary>
[Authorize(Policy = Policies.Broker)]
public sealed class SignedInModel(EntraTokenProvider tokens, IDataProtectionProvider protection) : PageModel
{
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? code, string? state, string? error, [FromQuery(Name = "error_description")] string? errorDescription, CancellationToken ct)
    {
        var pending = Pending();
        Response.Cookies.Delete(ConnectModel.SignInCookie, new CookieOptions { Path = "/partner-center" });
        if (pending is null || state is null || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(pending.Value.State), System.Text.Encoding.UTF8.GetBytes(state)))
        {
            Problem = "This sign-in was not started here, or it took too long. Start again with \"Sign in with Microsoft\".";
            return Page();
        }
        if (error is not null || code is null)
        {
            Problem = $"Microsoft did not sign you in: {errorDescription ?? error ?? "no authorization code came back"}";
            return Page();
        }
        try
        {
            var result = await tokens.CompleteSignInAsync(pending.Value.RedirectUri, code, pending.Value.Verifier, ct);
            TempData["Message"] = $"Signed in to Partner Center as {result.Account?.Username}.";
            return Redirect("~/partner-center");
        }
        catch (MsalException e)
        {
            Problem = "Microsoft refused the sign-in: " + e.Message;
            return Page();
        }
    }

    private (string State, string Verifier, string RedirectUri)? Pending()
    {
        if (Request.Cookies[ConnectModel.SignInCookie] is not { } sealedValue) return null;
        try
        {
            var parts = ConnectModel.Protector(protection).Unprotect(sealedValue).Split('\n');
            return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
