namespace Skyport.PartnerCenterEmulator.SignIn;

/// <summary>A user of the partner's own tenant who signs in to Partner Center, with Partner Center roles (Admin agent, Sales agent…).</summary>
public sealed class PartnerUser
{
    public Guid Id { get; set; }
    /// <summary>Lower case: sign-in compares user names without regard to case.</summary>
    public string UserPrincipalName { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Password { get; set; } = "";
    public List<string> Roles { get; set; } = [];
    /// <summary>Refresh tokens issued before this instant are refused (an administrator revoked the user's sessions).</summary>
    public DateTime? RefreshTokensValidAfter { get; set; }
}
