namespace Skyport.PartnerCenterEmulator.SignIn;

/// <summary>An authorization code: for one client and redirect URI, about 10 minutes, redeemed once.</summary>
public sealed record AuthorizationCode(AuthorizeRequest Request, Guid UserId, DateTimeOffset IssuedAt)
{
    /// <summary>v2-oauth2-auth-code-flow: "Typically, they expire after about 10 minutes."</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    public bool Redeemed { get; set; }
}
