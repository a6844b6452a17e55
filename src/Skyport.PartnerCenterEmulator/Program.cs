namespace Skyport.PartnerCenterEmulator;

public static class Program
{
    public static async Task Main(string[] args)
    {
        var app = EmulatorApp.Create(args, new EmulatorOptions());
        await app.StartAsync();
        foreach (var url in app.Urls)
        {
            Console.WriteLine($"Partner Center emulator listening on {url}");
        }
        await app.WaitForShutdownAsync();
    }
}
