using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Control;
using Skyport.PartnerCenterEmulator.Subscriptions;

namespace Skyport.PartnerCenterEmulator.Core;

/// <summary>Serializes all state changes: the emulator is one small process, correctness beats throughput.</summary>
public sealed class StateGate
{
    public SemaphoreSlim Semaphore { get; } = new(1, 1);
}

public static class RequestTenant
{
    private const string Key = "emulator.tenant";
    public static Guid TokenTenant(this HttpContext http) => (Guid)http.Items[Key]!;
    public static void SetTokenTenant(this HttpContext http, Guid tenant) => http.Items[Key] = tenant;
}

public static class Pipeline
{
    public static void Use(WebApplication app)
    {
        app.Use((http, next) => FaultMiddleware.InvokeAsync(http, () => next(http)));
        app.Use(AuthenticateAsync);
        app.Use(async (http, next) =>
        {
            var wait = http.RequestServices.GetRequiredService<Throttler>().Check(http.Request.Path, DateTimeOffset.UtcNow);
            if (wait is not null)
            {
                await Errors.WriteThrottledAsync(http, wait.Value);
                return;
            }
            await next(http);
        });
        app.Use(async (http, next) =>
        {
            var gate = http.RequestServices.GetRequiredService<StateGate>().Semaphore;
            await gate.WaitAsync(http.RequestAborted);
            try
            {
                // Work that fell due (a pending order, a PATCH answered 202) is done before anyone can look.
                var delayed = http.RequestServices.GetRequiredService<DelayedWork>();
                if (delayed.IsDue) await delayed.CatchUpAsync(http.RequestServices.GetRequiredService<EmulatorDb>());
                await IdempotentAsync(http, next);
            }
            finally
            {
                gate.Release();
            }
        });
        app.Use(async (http, next) =>
        {
            foreach (var header in new[] { "MS-RequestId", "MS-CorrelationId" })
            {
                if (http.Request.Headers.TryGetValue(header, out var value)) http.Response.Headers[header] = value;
            }
            await next(http);
        });
    }

    private static async Task AuthenticateAsync(HttpContext http, RequestDelegate next)
    {
        var path = http.Request.Path;
        var isPc = path.StartsWithSegments("/v1") || path.StartsWithSegments("/webhooks");
        var isGraph = path.StartsWithSegments("/graph");
        var isPartnerApi = path.StartsWithSegments("/v1.0");
        if (!isPc && !isGraph && !isPartnerApi)
        {
            await next(http);
            return;
        }
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        var validated = token is null ? null : http.RequestServices.GetRequiredService<TokenService>().Validate(token, DateTimeOffset.UtcNow);
        var partner = http.RequestServices.GetRequiredService<EmulatorOptions>().PartnerTenantId;
        string? failure = null;
        if (token is null) failure = "Access token is empty.";
        else if (validated is null) failure = "Access token validation failure. Invalid or expired token.";
        else if (isPc && (validated.TenantId != partner || validated.Audience != TokenService.PartnerCenterAudience))
            failure = "Access token validation failure. The token was not issued to the partner for Partner Center.";
        else if (isPartnerApi && (validated.TenantId != partner || validated.Audience != TokenService.PartnerApiAudience))
            failure = "Access token validation failure. The token was not issued to the partner for the Partner API.";
        else if (isGraph && validated.Audience != TokenService.GraphAudience)
            failure = "Access token validation failure. Invalid audience.";
        if (failure is not null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            var result = isGraph
                ? Errors.Graph(http, 401, "InvalidAuthenticationToken", failure)
                : Errors.Pc(401, 400, "Access denied", failure);
            await result.ExecuteAsync(http);
            return;
        }
        if (!isGraph && await AppUserRefusalAsync(http, validated!) is { } refused)
        {
            await refused.ExecuteAsync(http);
            return;
        }
        http.SetTokenTenant(validated!.TenantId);
        await next(http);
    }

    /// <summary>
    /// Partner Center's rules for who is behind the token: an App+User-only route refuses an app-only token (403 900329,
    /// partner-center/developer/error-codes); any App+User call needs MFA (partner-center-authentication: "Beginning April 1,
    /// 2026 all App+User usage of Partner Center APIs will enforce the usage of MFA"; 401 900421 is third-party); a route for
    /// given partner roles refuses other users (403 900308 "Insufficient privileges to complete the operation.").
    /// </summary>
    private static async Task<IResult?> AppUserRefusalAsync(HttpContext http, ValidatedToken token)
    {
        if (token.User is { Mfa: false })
        {
            return Errors.Pc(401, 900421, "Multi-factor authentication is required: the access token has no MFA claim. Sign in again with multi-factor authentication.");
        }
        if (http.GetEndpoint()?.Metadata.GetMetadata<AppUserOnly>() is not { } rule) return null;
        if (token.User is null)
        {
            return Errors.Pc(403, 900329, "This resource does not support application-only authentication.");
        }
        if (rule.PartnerRoles.Count == 0) return null;
        var user = await http.RequestServices.GetRequiredService<EmulatorDb>().PartnerUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Id == token.User.ObjectId);
        return user is not null && user.Roles.Any(rule.PartnerRoles.Contains)
            ? null
            : Errors.Pc(403, 900308, "Insufficient privileges to complete the operation.");
    }

    /// <summary>A create carrying an MS-RequestId answers the same on a retry and does nothing again.</summary>
    private static async Task IdempotentAsync(HttpContext http, RequestDelegate next)
    {
        var requestId = http.Request.Headers["MS-RequestId"].ToString();
        if (!HttpMethods.IsPost(http.Request.Method) || requestId.Length == 0 || !http.Request.Path.StartsWithSegments("/v1"))
        {
            await next(http);
            return;
        }
        http.Request.EnableBuffering();
        var bodyHash = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(http.Request.Body));
        http.Request.Body.Position = 0;
        // The same MS-RequestId with another body is a new request (a client that forgot to reset the id).
        var key = requestId + " " + http.Request.Path.Value!.ToLowerInvariant() + " " + bodyHash[..16];
        var db = http.RequestServices.GetRequiredService<EmulatorDb>();
        var stored = await db.IdempotentResponses.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key);
        if (stored is not null)
        {
            http.Response.StatusCode = stored.StatusCode;
            if (stored.ContentType.Length > 0) http.Response.ContentType = stored.ContentType;
            await http.Response.WriteAsync(stored.Body);
            return;
        }
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        // The answer is kept for the retry, so it is written whole even when this client has gone away (a killed caller):
        // ASP.NET Core's JSON writer otherwise stops quietly on an aborted request and an empty body would be replayed.
        var aborted = http.RequestAborted;
        http.RequestAborted = CancellationToken.None;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
            http.RequestAborted = aborted;
        }
        if (http.Response.StatusCode < 500)
        {
            db.ChangeTracker.Clear();
            db.IdempotentResponses.Add(new IdempotentResponse
            {
                Key = key,
                StatusCode = http.Response.StatusCode,
                ContentType = http.Response.ContentType ?? "",
                Body = System.Text.Encoding.UTF8.GetString(buffer.ToArray()),
                CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original);
    }
}
