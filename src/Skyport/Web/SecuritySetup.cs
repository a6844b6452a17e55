namespace Skyport.Web;

/// <summary>The portal's defences that sit in front of every feature: security headers, HSTS, the sign-in rate limit.</summary>
public static class SecuritySetup
{
    public static IServiceCollection AddSkyportSecurity(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSignInRateLimit(configuration);

    /// <summary>After the status pages (so that a 429 gets one), before static files (so that they carry the headers too).</summary>
    public static IApplicationBuilder UseSkyportSecurity(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts(); // only on HTTPS requests; behind a proxy, X-Forwarded-Proto says so when forwarded headers are on
        }
        app.UseSecurityHeaders();
        app.UseRateLimiter();
        return app;
    }
}
