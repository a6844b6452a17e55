using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Crash;

/// <summary>
/// Add the O365 service: one tenant in Partner Center with one attested agreement and one (active) GDAP relationship, the
/// service active in Skyport, one credentials email.
/// </summary>
public sealed class Onboarding : CrashOperation
{
    public override string Name => "onboarding";

    public override async Task<CrashTrial> PrepareAsync(ResilienceRig rig)
    {
        var name = rig.Unique("o");
        var contact = $"{name}@contact.example";
        var customer = await rig.Api.CreateCustomerAsync(rig.ResellerId, name, contact);
        var domain = $"{name}.onmicrosoft.com";
        return new CrashTrial(SkyportApi.Onboard(customer, name), async final =>
        {
            Expect.Status(final, 201, "Add service");
            var tenants = (await rig.Emulator.StateAsync()).WithDomain(domain);
            Expect.That(tenants.Count == 1, $"Partner Center has {tenants.Count} tenants with the domain {domain}");
            var service = await rig.Api.ServiceAsync(customer);
            Expect.That(service["tenantId"]?.GetValue<Guid>() == tenants[0].Id, $"Skyport's service names tenant {service["tenantId"]}, Partner Center's is {tenants[0].Id}");
            var admin = final.Json["adminUserPrincipalName"]!.GetValue<string>();
            var admins = tenants[0].ActiveUsers.Count(u => string.Equals(u.UserPrincipalName, admin, StringComparison.OrdinalIgnoreCase));
            Expect.That(admins == 1, $"Partner Center's tenant {domain} has {admins} users {admin}");
            Expect.That(tenants[0].Agreements.Count == 1, $"Partner Center holds {tenants[0].Agreements.Count} customer agreements for {domain}");
            var relationships = string.Join(", ", tenants[0].AdminRelationships.Select(r => r.Status));
            Expect.That(relationships == "active", $"Partner Center's GDAP relationships with {domain}: [{relationships}]");
            var mails = await rig.Mail.DistinctTo(contact, TimeSpan.FromSeconds(15));
            Expect.That(mails.Count == 1, $"{mails.Count} different credentials emails were sent to {contact}");
            var password = MailServer.TemporaryPassword(mails[0]);
            Expect.That(await rig.Emulator.SignsInAsync(admin, password), $"the emailed password does not sign {admin} in");
        });
    }
}
