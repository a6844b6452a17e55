using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Skyport.Web;

/// <summary>
/// Password guessing is slowed per client address on top of Identity's lockout (which protects one account): at most
/// <c>Skyport:SignIn:AttemptsPerMinute</c> sign-in posts a minute from one address, then 429 with Retry-After. Behind a
/// proxy the address is the client's once forwarded headers are on (ASPNETCORE_FORWARDEDHEADERS_ENABLED).
/// </summary>
public static class SignInRateLimit
{
    public const int DefaultAttemptsPerMinute = 10;

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var attempts = configuration.GetValue("Skyport:SignIn:AttemptsPerMinute", DefaultAttemptsPerMinute);
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsSignInAttempt(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = attempts,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (rejected, _) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask; // the status pages answer: problem details for the API, the status page for people
            };
        });
    }

    private static bool IsSignInAttempt(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals("/account/login", StringComparison.OrdinalIgnoreCase);
}
