using Microsoft.AspNetCore.Identity;

namespace Skyport.Features.Accounts;

/// <summary>A person who signs in to Skyport: an administrator of one organization.</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public Guid OrganizationId { get; set; }
    public required string DisplayName { get; set; }

    /// <summary>Set when the password was generated and emailed: the user must choose their own before anything else.</summary>
    public bool MustChangePassword { get; set; }
}

public static class Roles
{
    public const string BrokerAdministrator = "BrokerAdministrator";
    public const string ResellerAdministrator = "ResellerAdministrator";
    public const string CustomerAdministrator = "CustomerAdministrator";

    public static string For(Organizations.OrganizationKind kind) => kind switch
    {
        Organizations.OrganizationKind.Broker => BrokerAdministrator,
        Organizations.OrganizationKind.Reseller => ResellerAdministrator,
        _ => CustomerAdministrator,
    };

    public static string Describe(string role) => role switch
    {
        BrokerAdministrator => "Broker administrator",
        ResellerAdministrator => "Reseller administrator",
        _ => "Customer administrator",
    };
}
