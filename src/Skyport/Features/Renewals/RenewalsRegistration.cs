namespace Skyport.Features.Renewals;

public static class RenewalsRegistration
{
    public static IServiceCollection AddRenewals(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RenewalNoticeOptions>(configuration.GetSection("Skyport:Renewals"));
        services.AddScoped<RenewalsQuery>();
        services.AddSingleton<RenewalNotices>();
        services.AddHostedService(sp => sp.GetRequiredService<RenewalNotices>());
        return services;
    }
}
