using Microsoft.AspNetCore.Identity;

namespace Skyport.Features.Accounts;

/// <summary>Sends a person who signed in with an emailed, generated password to choose their own first.</summary>
public static class PasswordChangeGate
{
    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (context.User.HasClaim(SkyportClaimsFactory.MustChangePasswordClaim, "true")
            && context.User.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme
            && !path.StartsWithSegments("/account")
            && !path.StartsWithSegments("/status")
            && !path.StartsWithSegments("/api"))
        {
            context.Response.Redirect($"{context.Request.PathBase}/account/profile?mustChange=true");
            return;
        }
        await next(context);
    });
}
