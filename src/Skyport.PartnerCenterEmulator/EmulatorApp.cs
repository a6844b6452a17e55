using Microsoft.AspNetCore.Builder;

namespace Skyport.PartnerCenterEmulator;

/// <summary>Options for an emulator instance, whether run alone or embedded in Skyport.</summary>
public sealed record EmulatorOptions
{
    /// <summary>SQLite file that keeps the emulator's state; null keeps it in memory.</summary>
    public string? StatePath { get; init; }
}

/// <summary>Builds the emulator's web application; used by its own Program and by Skyport's embedded mode.</summary>
public static class EmulatorApp
{
    public static WebApplication Create(string[] args, EmulatorOptions options)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/_emulator/partner", () => Results.Ok(new { tenantId = Guid.Empty }));
        return app;
    }
}
