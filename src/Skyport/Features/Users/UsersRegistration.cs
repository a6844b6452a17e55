using Skyport.Web.Jobs;

namespace Skyport.Features.Users;

public static class UsersRegistration
{
    public static IServiceCollection AddUsers(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UserSyncOptions>(configuration.GetSection(UserSyncOptions.Section));
        services.AddScoped<TenantUsers>();
        services.AddScoped<CreateTenantUser>();
        services.AddScoped<DeleteTenantUser>();
        services.AddScoped<AssignLicenses>();
        services.AddScoped<SeatsForLicenses>();
        services.AddScoped<SetUsageLocation>();
        services.AddScoped<UserSync>();
        services.AddSingleton<UserSyncService>();
        services.AddHostedService(sp => sp.GetRequiredService<UserSyncService>());
        services.AddScoped<Directory.DirectoryPeople>();
        services.AddScoped<Directory.ImportUsers>();
        services.AddScoped<Directory.ExportUsers>();
        services.AddScoped<IBulkJobHandler, SubscribeJobHandler>();
        services.AddScoped<IBulkJobHandler, UnsubscribeJobHandler>();
        services.AddScoped<IBulkJobHandler, Directory.ImportJobHandler>();
        services.AddScoped<IBulkJobHandler, Directory.ExportJobHandler>();
        return services;
    }
}
