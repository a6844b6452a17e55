namespace Skyport.PartnerCenterEmulator;

public static class Program
{
    public static async Task Main(string[] args)
    {
        var app = EmulatorApp.Create(args, new EmulatorOptions { StatePath = Path.Combine("data", "emulator.db") });
        await app.StartAsync();
        foreach (var url in app.Urls)
        {
            Console.WriteLine($"Partner Center emulator listening on {url}");
            Console.WriteLine($"  Partner Center: {url}/v1   Graph: {url}/graph/v1.0   Tokens: {url}/{{tenantId}}/oauth2/v2.0/token");
            Console.WriteLine($"  Inspection page: {url}/_emulator/");
        }
        var options = app.Services.GetRequiredService<EmulatorOptions>();
        Console.WriteLine($"  Partner Admin agent (sign-in page): {options.AdminAgentUserPrincipalName} / {options.AdminAgentPassword}; " +
            $"one-time code: GET /_emulator/partner/users/{options.AdminAgentUserPrincipalName}/mfa-code");
        await app.WaitForShutdownAsync();
    }
}
