using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Control;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.SignIn;

/// <summary>
/// Control plane for the partner tenant's own users: create them with Partner Center roles, read a user's one-time code,
/// issue a refresh token as if the user had signed in (for scripts and tests), revoke a user's refresh tokens,
/// and register redirect URIs on the partner's application.
/// </summary>
public static class PartnerUserControl
{
    public static void Map(WebApplication app)
    {
        var control = app.MapGroup("/_emulator");
        control.MapGet("/partner/users", async (EmulatorDb db) =>
            Results.Ok((await db.PartnerUsers.OrderBy(u => u.UserPrincipalName).ToListAsync()).Select(Json)));

        control.MapPost("/partner/users", async (HttpContext http, EmulatorDb db, EmulatorOptions options) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            var upn = body?.String("userPrincipalName", required: true)?.Trim().ToLowerInvariant();
            var password = body?.String("password", required: true);
            var roles = body?.Strings("roles") ?? [];
            var displayName = body?.String("displayName");
            if (body is null || body.HasErrors || string.IsNullOrEmpty(upn) || string.IsNullOrEmpty(password))
            {
                return ControlEndpoints.Problem("The body must be { \"userPrincipalName\", \"password\", \"roles\": [\"Admin agent\", …], \"displayName\" }.");
            }
            if (!upn.EndsWith("@" + options.PartnerDomain.ToLowerInvariant(), StringComparison.Ordinal))
            {
                return ControlEndpoints.Problem($"A partner user's name ends with @{options.PartnerDomain}.");
            }
            var unknown = roles.Where(r => !PartnerRoles.All.Contains(r)).ToList();
            if (unknown.Count > 0)
            {
                return ControlEndpoints.Problem($"Unknown role {string.Join(", ", unknown)}; roles are {string.Join(", ", PartnerRoles.All)}.");
            }
            if (await db.PartnerUsers.AnyAsync(u => u.UserPrincipalName == upn)) return Results.Problem($"The user {upn} already exists.", statusCode: 409);
            var user = new PartnerUser { Id = Guid.NewGuid(), UserPrincipalName = upn, DisplayName = displayName ?? upn, Password = password, Roles = roles };
            db.PartnerUsers.Add(user);
            await db.SaveChangesAsync();
            return Results.Created($"/_emulator/partner/users/{upn}", Json(user));
        });

        control.MapGet("/partner/users/{upn}/mfa-code", async (string upn, EmulatorDb db, TokenService tokens) =>
            await FindAsync(db, upn) is { } user ? Results.Ok(new { code = tokens.MfaCode(user.Id) }) : NotFound(upn));

        // As if the user had signed in with both factors (or with the password only, "mfa": false): for scripts and tests.
        control.MapPost("/partner/users/{upn}/refresh-token", async (string upn, HttpContext http, EmulatorDb db, TokenService tokens, EmulatorOptions options, EmulatorClock clock) =>
        {
            if (await FindAsync(db, upn) is not { } user) return NotFound(upn);
            var body = http.Request.HasJsonContentType() ? await JsonBody.ReadAsync(http.Request) : null;
            var mfa = body?.Bool("mfa") ?? true;
            var clientId = body?.String("clientId") ?? options.ClientId ?? "skyport";
            return Results.Ok(new { refresh_token = tokens.IssueRefreshToken(new RefreshGrant(user.Id, clientId, mfa, clock.GetUtcNow())) });
        });

        // An administrator revokes all the user's refresh tokens (refresh-tokens, "Revocation").
        control.MapPost("/partner/users/{upn}/revoke", async (string upn, EmulatorDb db, EmulatorClock clock) =>
        {
            if (await FindAsync(db, upn) is not { } user) return NotFound(upn);
            user.RefreshTokensValidAfter = clock.UtcNow;
            await db.SaveChangesAsync();
            return Results.NoContent();
        });

        control.MapGet("/app/redirect-uris", (AppRegistration registration) => Results.Ok(registration.RedirectUris));
        control.MapPost("/app/redirect-uris", async (HttpContext http, EmulatorDb db, AppRegistration registration) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            var uri = body?.String("redirectUri", required: true);
            if (body is null || body.HasErrors || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                return ControlEndpoints.Problem("The body must be { \"redirectUri\": \"<absolute http or https URL>\" }.");
            }
            await registration.AddAsync(db, uri!);
            return Results.Ok(registration.RedirectUris);
        });
    }

    private static Task<PartnerUser?> FindAsync(EmulatorDb db, string upn)
    {
        var lower = upn.Trim().ToLowerInvariant();
        return db.PartnerUsers.FirstOrDefaultAsync(u => u.UserPrincipalName == lower);
    }

    private static IResult NotFound(string upn) => Results.Problem($"No partner user is named {upn}.", statusCode: 404);

    private static object Json(PartnerUser user) => new { id = user.Id, userPrincipalName = user.UserPrincipalName, displayName = user.DisplayName, roles = user.Roles };
}
