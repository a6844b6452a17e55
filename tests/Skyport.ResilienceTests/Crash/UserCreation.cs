using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Crash;

/// <summary>Create a user with a generated password: one user in Partner Center and in Skyport, one credentials email.</summary>
public sealed class UserCreation : CrashOperation
{
    public override string Name => "user creation";

    public override TimeSpan KillWindow => TimeSpan.FromMilliseconds(800);

    public override async Task<CrashTrial> PrepareAsync(ResilienceRig rig)
    {
        var (customer, tenant, domain) = await rig.CustomerWithTenantAsync();
        var userName = rig.Unique("u");
        var credentials = $"{rig.Unique("cred")}@contact.example";
        var upn = $"{userName}@{domain}";
        return new CrashTrial(SkyportApi.NewUser(customer, userName, credentials), async final =>
        {
            Expect.Status(final, 201, "Create user");
            var pc = (await rig.Emulator.StateAsync()).Tenant(tenant);
            var made = pc.ActiveUsers.Count(u => string.Equals(u.UserPrincipalName, upn, StringComparison.OrdinalIgnoreCase));
            Expect.That(made == 1, $"Partner Center has {made} users {upn}");
            var skyport = await rig.Api.UsersAsync(customer);
            var listed = skyport.Count(u => string.Equals(u!["userPrincipalName"]!.GetValue<string>(), upn, StringComparison.OrdinalIgnoreCase));
            Expect.That(listed == 1, $"Skyport lists {listed} users {upn}");
            var mails = await rig.Mail.DistinctTo(credentials, TimeSpan.FromSeconds(15));
            Expect.That(mails.Count == 1, $"{mails.Count} different credentials emails were sent to {credentials}");
            var password = MailServer.TemporaryPassword(mails[0]);
            Expect.That(await rig.Emulator.SignsInAsync(upn, password), $"the emailed password does not sign {upn} in");
        });
    }
}
