using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Skyport.Data;

namespace Skyport.Web;

/// <summary>Prints where the portal listens and, for a demo installation, who can sign in.</summary>
public sealed class StartupBanner(IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (addresses.Count == 0)
            {
                return;
            }
            var url = addresses.First().Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost");
            Console.WriteLine();
            Console.WriteLine($"  Skyport is running at {url}");
            if (services.GetService<Skyport.PartnerCenter.EmbeddedEmulator>() is { } emulator)
            {
                Console.WriteLine($"  Partner Center emulator (embedded): {emulator.BaseUrl}/_emulator/");
            }
            if (configuration.GetValue("Skyport:SeedDemo", false))
            {
                Console.WriteLine("  Demo sign-ins (created on the first start with an empty database):");
                foreach (var login in DemoData.Logins)
                {
                    Console.WriteLine($"    {login.Role,-24} {login.Email,-32} {login.Password}   ({login.Organization})");
                }
            }
            Console.WriteLine();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
