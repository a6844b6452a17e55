namespace Skyport.PartnerCenterEmulator.Core;

/// <summary>
/// Endpoint metadata: the route is one Microsoft documents as App+User only ("This scenario supports authentication with
/// App+User credentials only.", under Prerequisites on each page), optionally for partner users in given roles.
/// The pipeline refuses an app-only token on it with 403 900329 (partner-center/developer/error-codes).
/// </summary>
public sealed record AppUserOnly(IReadOnlyList<string> PartnerRoles);

public static class AppUserOnlyExtensions
{
    /// <summary>Marks the route App+User only; with <paramref name="partnerRoles"/>, the signed-in partner user needs one of them.</summary>
    public static TBuilder RequireAppUser<TBuilder>(this TBuilder builder, params string[] partnerRoles) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AppUserOnly(partnerRoles));
}

/// <summary>Partner Center roles of the partner's own users (partner-center/account-settings/permissions-overview).</summary>
public static class PartnerRoles
{
    public const string AdminAgent = "Admin agent";
    public const string SalesAgent = "Sales agent";
    public const string HelpdeskAgent = "Helpdesk agent";
    public const string BillingAdmin = "Billing admin";
    public const string GlobalAdmin = "Global admin";
    public static readonly string[] All = [AdminAgent, SalesAgent, HelpdeskAgent, BillingAdmin, GlobalAdmin];
}
