namespace Skyport.Web.Jobs;

public static class BulkJobsRegistration
{
    /// <summary>The jobs' store and runner; each feature registers its handlers as <see cref="IBulkJobHandler"/>.</summary>
    public static IServiceCollection AddBulkJobs(this IServiceCollection services)
    {
        services.AddSingleton<BulkJobSignal>();
        services.AddScoped<BulkJobs>();
        services.AddHostedService<BulkJobRunner>();
        return services;
    }
}
