using System.Net;
using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.SignIn;

/// <summary>
/// Entra's authorize endpoint for the authorization code flow with PKCE (entra/identity-platform/v2-oauth2-auth-code-flow):
/// a sign-in page for the partner tenant's own users, a password step and then a one-time-code step, and a redirect back
/// with <c>code</c> and <c>state</c>, or with <c>error</c> and <c>error_description</c>.
/// </summary>
public static class AuthorizeEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/{tenant}/oauth2/v2.0/authorize", async (string tenant, HttpContext http, EmulatorDb db, EmulatorOptions options,
            AppRegistration registration, SignInFlows flows) =>
        {
            var q = http.Request.Query;
            var clientId = q["client_id"].ToString();
            var redirectUri = q["redirect_uri"].ToString();
            if (await PartnerTenantAsync(db, options, tenant) is not { } tenantId)
            {
                return ErrorPage(90002, $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
            }
            if (clientId.Length == 0 || (options.ClientId is not null && options.ClientId != clientId))
            {
                return ErrorPage(700016, $"Application with identifier '{clientId}' was not found in the directory '{tenantId}'.");
            }
            // Entra never sends an error to a redirect URI it does not know: it shows the error itself.
            if (!registration.IsRegistered(redirectUri))
            {
                return ErrorPage(50011, $"The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{clientId}'.");
            }
            var state = q["state"].FirstOrDefault();
            var responseMode = q["response_mode"].FirstOrDefault() ?? "query";
            if (responseMode is not ("query" or "form_post"))
            {
                return RedirectError(redirectUri, "query", state, "invalid_request", 900144, $"The response_mode '{responseMode}' is not supported here.");
            }
            var responseType = q["response_type"].ToString();
            if (responseType != "code")
            {
                return RedirectError(redirectUri, responseMode, state, "unsupported_response_type", 70005, $"The response_type '{responseType}' is not supported: the authorization code flow needs 'code'.");
            }
            var scope = q["scope"].ToString();
            if (scope.Length == 0)
            {
                return RedirectError(redirectUri, responseMode, state, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
            }
            var challenge = q["code_challenge"].FirstOrDefault();
            var method = q["code_challenge_method"].FirstOrDefault();
            if (method is not null && challenge is null)
            {
                return RedirectError(redirectUri, responseMode, state, "invalid_request", 900144, "The request body must contain the following parameter: 'code_challenge'.");
            }
            method ??= "plain";
            if (method is not ("plain" or "S256"))
            {
                return RedirectError(redirectUri, responseMode, state, "invalid_request", 501471, $"The code_challenge_method '{method}' is not supported: use S256 or plain.");
            }
            var flow = flows.Start(new AuthorizeRequest(tenantId, clientId, redirectUri, scope, state, q["nonce"].FirstOrDefault(), responseMode, challenge, method),
                DateTimeOffset.UtcNow);
            return Page(PasswordForm(flow, q["login_hint"].FirstOrDefault(), null));
        });

        app.MapPost("/{tenant}/oauth2/v2.0/login", async (HttpContext http, EmulatorDb db, TokenService tokens, SignInFlows flows) =>
        {
            var form = await http.Request.ReadFormAsync();
            var flowId = form["flow"].ToString();
            if (flows.Find(flowId) is not { } flow)
            {
                return ErrorPage(50058, "The sign-in session was not found or has ended. Start again from the application.");
            }
            var request = flow.Request;
            if (form.ContainsKey("cancel"))
            {
                flows.End(flowId);
                return RedirectError(request.RedirectUri, request.ResponseMode, request.State, "access_denied", 65004, "User declined to consent to access the app.");
            }
            if (flow.PasswordCheckedFor is not { } userId)
            {
                var upn = form["username"].ToString().Trim().ToLowerInvariant();
                var user = await db.PartnerUsers.FirstOrDefaultAsync(u => u.UserPrincipalName == upn);
                if (user is null || user.Password != form["password"].ToString())
                {
                    return Page(PasswordForm(flowId, upn, "AADSTS50126: Error validating credentials due to invalid username or password."));
                }
                flows.PasswordChecked(flowId, user.Id);
                return Page(CodeForm(flowId, user.UserPrincipalName, null));
            }
            var signedIn = await db.PartnerUsers.FindAsync(userId);
            if (signedIn is null) return ErrorPage(50034, "The user account does not exist in the directory.");
            if (form["otc"].ToString().Trim() != tokens.MfaCode(signedIn.Id))
            {
                return Page(CodeForm(flowId, signedIn.UserPrincipalName, "AADSTS50181: The one-time code you entered is not correct. Try again."));
            }
            flows.End(flowId);
            var code = flows.IssueCode(request, signedIn.Id, DateTimeOffset.UtcNow);
            return Respond(request.RedirectUri, request.ResponseMode, new Dictionary<string, string?> { ["code"] = code, ["state"] = request.State });
        }).DisableAntiforgery();
    }

    internal static async Task<Guid?> PartnerTenantAsync(EmulatorDb db, EmulatorOptions options, string tenant)
    {
        if (tenant is "organizations" or "common") return options.PartnerTenantId;
        if (Guid.TryParse(tenant, out var id)) return id == options.PartnerTenantId ? id : null;
        return tenant.Equals(options.PartnerDomain, StringComparison.OrdinalIgnoreCase) || await db.Tenants.AnyAsync(t => t.IsPartner && t.Domain == tenant.ToLower())
            ? options.PartnerTenantId
            : null;
    }

    private static IResult RedirectError(string redirectUri, string responseMode, string? state, string error, int code, string description) =>
        Respond(redirectUri, responseMode, new Dictionary<string, string?>
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: {description}",
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={code}",
            ["state"] = state,
        });

    private static IResult Respond(string redirectUri, string responseMode, Dictionary<string, string?> values)
    {
        var present = values.Where(v => v.Value is not null).ToList();
        if (responseMode == "form_post")
        {
            var fields = string.Concat(present.Select(v => $"<input type=\"hidden\" name=\"{Enc(v.Key)}\" value=\"{Enc(v.Value)}\">"));
            return Page($"<form method=\"post\" action=\"{Enc(redirectUri)}\">{fields}<button type=\"submit\">Continue</button></form>");
        }
        var query = string.Join("&", present.Select(v => Uri.EscapeDataString(v.Key) + "=" + Uri.EscapeDataString(v.Value!)));
        return Results.Redirect(redirectUri + (redirectUri.Contains('?') ? "&" : "?") + query);
    }

    private static string PasswordForm(string flowId, string? userName, string? error) => $"""
        <h1>Sign in</h1>
        <p>Sign in with your partner account.</p>
        {ErrorLine(error)}
        <form method="post" action="login">
          <input type="hidden" name="flow" value="{Enc(flowId)}">
          <p><label for="username">Email, phone, or Skype</label><br><input id="username" name="username" type="email" autocomplete="username" value="{Enc(userName)}" required></p>
          <p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
          <p><button type="submit">Sign in</button> <button type="submit" name="cancel" value="1" formnovalidate>Cancel</button></p>
        </form>
        """;

    private static string CodeForm(string flowId, string userName, string? error) => $"""
        <h1>Verify your identity</h1>
        <p>{Enc(userName)}: enter the code from your authenticator app.</p>
        {ErrorLine(error)}
        <form method="post" action="login">
          <input type="hidden" name="flow" value="{Enc(flowId)}">
          <p><label for="otc">Code</label><br><input id="otc" name="otc" inputmode="numeric" autocomplete="one-time-code" required></p>
          <p><button type="submit">Verify</button> <button type="submit" name="cancel" value="1" formnovalidate>Cancel</button></p>
        </form>
        """;

    private static string ErrorLine(string? error) => error is null ? "" : $"<p role=\"alert\">{Enc(error)}</p>";

    private static IResult ErrorPage(int code, string description) =>
        Page($"<h1>Sorry, but we're having trouble signing you in.</h1><p role=\"alert\">AADSTS{code}: {Enc(description)}</p>", 400);

    private static IResult Page(string body, int status = 200) => Results.Content(
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in to your account</title></head><body><main>{body}</main></body></html>",
        "text/html; charset=utf-8", statusCode: status);

    private static string Enc(string? value) => WebUtility.HtmlEncode(value ?? "");
}
