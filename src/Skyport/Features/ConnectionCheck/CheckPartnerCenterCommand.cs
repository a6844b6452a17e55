namespace Skyport.Features.ConnectionCheck;

/// <summary>
/// <c>dotnet run --project src/Skyport -- check-partner-center</c>: the connection check from the command line, with the same
/// configuration as the portal (appsettings, environment, the database's connection). Prints each check; exits 1 when one fails.
/// </summary>
public static class CheckPartnerCenterCommand
{
    public const string Name = "check-partner-center";

    public static bool IsRequested(string[] args) => args.Contains(Name, StringComparer.OrdinalIgnoreCase);

    public static async Task<int> RunAsync(WebApplication app)
    {
        // Started for its database, its embedded emulator if configured, and the connection stored by the portal.
        await app.StartAsync();
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<CheckPartnerCenter>().RunAsync(CancellationToken.None);
            Console.WriteLine();
            foreach (var check in report.Checks)
            {
                Console.WriteLine($"  {(check.Ok ? "ok     " : "MISSING")}  {check.Name}: {check.Detail}");
            }
            Console.WriteLine();
            Console.WriteLine(report.Ok ? "  Everything Skyport needs works." : $"  {report.Checks.Count(c => !c.Ok)} of {report.Checks.Count} checks failed.");
            return report.Ok ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
