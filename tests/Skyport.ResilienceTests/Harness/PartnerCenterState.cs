using System.Text.Json;

namespace Skyport.ResilienceTests.Harness;

/// <summary>What the emulator holds (<c>GET /_emulator/state</c>): Partner Center's truth that Skyport is compared with.</summary>
public sealed record PartnerCenterState(DateTimeOffset Now, IReadOnlyList<PcTenant> Tenants)
{
    public static PartnerCenterState Parse(string json) =>
        JsonSerializer.Deserialize<PartnerCenterState>(json, JsonSerializerOptions.Web) ?? throw new InvalidOperationException("Empty emulator state.");

    public IReadOnlyList<PcTenant> Customers => [.. Tenants.Where(t => !t.IsPartner)];

    public IReadOnlyList<PcTenant> WithDomain(string domain) =>
        [.. Tenants.Where(t => string.Equals(t.Domain, domain, StringComparison.OrdinalIgnoreCase))];

    public PcTenant Tenant(Guid id) => Tenants.Single(t => t.Id == id);
}

public sealed record PcTenant(
    Guid Id, bool IsPartner, string Domain, IReadOnlyList<PcUser> Users, IReadOnlyList<PcSubscription> Subscriptions, IReadOnlyList<PcOrder> Orders,
    IReadOnlyList<PcAgreement> Agreements, IReadOnlyList<PcAdminRelationship> AdminRelationships)
{
    /// <summary>Users that exist (not deleted).</summary>
    public IReadOnlyList<PcUser> ActiveUsers => [.. Users.Where(u => u.State == "active")];
}

public sealed record PcUser(Guid Id, string UserPrincipalName, string State, string? UsageLocation, IReadOnlyList<Guid> Licenses);

public sealed record PcSubscription(Guid Id, string OfferId, string? FriendlyName, int Quantity, string Status, Guid? ParentSubscriptionId);

public sealed record PcOrder(string Id, string Status);

public sealed record PcAgreement(string Type, string TemplateId);

public sealed record PcAdminRelationship(string Id, string Status);
