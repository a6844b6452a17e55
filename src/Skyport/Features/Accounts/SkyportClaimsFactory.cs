using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Skyport.Data;
using Skyport.Web;

namespace Skyport.Features.Accounts;

/// <summary>Adds the organization, its path and the role to every signed-in principal (cookie and API key alike).</summary>
public sealed class SkyportClaimsFactory(UserManager<AppUser> users, IOptions<IdentityOptions> options, SkyportDbContext db)
    : UserClaimsPrincipalFactory<AppUser>(users, options)
{
    public const string MustChangePasswordClaim = "skyport:must_change_password";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        var organization = await db.Organizations.IgnoreQueryFilters().AsNoTracking()
            .SingleAsync(o => o.Id == user.OrganizationId);
        identity.AddClaim(new Claim("name", user.DisplayName));
        identity.AddClaim(new Claim(Caller.OrganizationClaim, organization.Id.ToString()));
        identity.AddClaim(new Claim(Caller.OrganizationPathClaim, organization.Path));
        identity.AddClaim(new Claim(Caller.OrganizationKindClaim, organization.Kind.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.Role, Roles.For(organization.Kind)));
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(MustChangePasswordClaim, "true"));
        }
        return identity;
    }
}
