namespace Skyport.Features.Email;

public static class EmailRegistration
{
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Email");
        services.Configure<EmailOptions>(section);
        services.AddSingleton<OutboxProtection>();
        services.AddSingleton<MailQueue>();
        if (section.Get<EmailOptions>()?.Delivers == true)
        {
            services.AddSingleton<SmtpTransport>();
            services.AddSingleton<MailDispatcher>();
            services.AddHostedService(sp => sp.GetRequiredService<MailDispatcher>());
        }
        return services;
    }
}
