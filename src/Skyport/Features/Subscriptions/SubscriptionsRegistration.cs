namespace Skyport.Features.Subscriptions;

public static class SubscriptionsRegistration
{
    public static IServiceCollection AddSubscriptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SubscriptionSyncOptions>(configuration.GetSection("Skyport:Subscriptions"));
        services.AddScoped<BuySubscription>();
        services.AddScoped<TermEndAlignment>();
        services.AddScoped<ChangeSubscription>();
        services.AddScoped<SubscriptionClaim>();
        services.AddScoped<ScheduleRenewal>();
        services.AddScoped<UpgradeTargets>();
        services.AddScoped<UpgradeSubscription>();
        services.AddScoped<ListSubscriptions>();
        services.AddScoped<SubscriptionHistory>();
        services.AddScoped<EligibleAddOns>();
        services.AddScoped<ConsumedLicenses>();
        services.AddScoped<SubscriptionReadBack>();
        services.AddScoped<SubscriptionReconciler>();
        services.AddSingleton<SubscriptionSyncQueue>();
        services.AddHostedService<SubscriptionSync>();
        return services;
    }
}
