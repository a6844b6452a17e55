using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Data;

namespace Skyport.Web;

/// <summary>A create request seen with an <c>Idempotency-Key</c>: its body's hash and, once done, the answer to replay.</summary>
public sealed class IdempotencyRecord
{
    public Guid UserId { get; init; }
    public required string Key { get; init; }
    public required string Route { get; init; }
    public required string RequestHash { get; init; }
    public int? StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public byte[]? Body { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>The instance running the first request while it has no answer; once that instance is gone, a retry takes it over.</summary>
    public Guid? OwnerInstanceId { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_records");
        builder.HasKey(r => new { r.UserId, r.Key });
        builder.Property(r => r.Key).HasMaxLength(200);
        builder.Property(r => r.Route).HasMaxLength(300);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ContentType).HasMaxLength(100);
        builder.Property(r => r.Location).HasMaxLength(300);
    }
}

/// <summary>
/// Makes a create endpoint idempotent: the same key and body return the first answer and do nothing again;
/// the same key with another body is refused; a key whose first request is still running answers 409.
/// Server errors are not kept, so a retry after one runs again (the use cases make that safe). A first request whose
/// instance died (a crash, a kill) is taken over by the retry as soon as that instance's heartbeat stops.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";

    /// <summary>How long an answer is kept for replay.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => endpoint.Metadata.Add(new IdempotentAttribute()));
        return builder.AddEndpointFilter(FilterAsync);
    }

    /// <summary>Keeps the body of requests that carry a key readable twice (binding, then hashing).</summary>
    public static IApplicationBuilder UseIdempotencyBuffering(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Headers.ContainsKey(Header))
        {
            context.Request.EnableBuffering();
        }
        await next(context);
    });

    private static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(key))
        {
            return await next(invocation);
        }
        if (key.Length > 200)
        {
            return Failure.Invalid(Header, "An Idempotency-Key has at most 200 characters.").ToProblem();
        }

        var caller = http.RequestServices.GetRequiredService<Caller>();
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        var instance = http.RequestServices.GetRequiredService<ThisInstance>();
        // A context of its own: the handler's failures never leave this one with changes it cannot save.
        await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
        var route = $"{http.Request.Method} {http.Request.Path.Value?.ToLowerInvariant()}";
        var hash = await HashBodyAsync(http.Request);

        var expired = clock.GetUtcNow() - Lifetime;
        await db.IdempotencyRecords.Where(r => r.UserId == caller.UserId && r.CreatedAt < expired).ExecuteDeleteAsync();
        var record = await db.IdempotencyRecords.SingleOrDefaultAsync(r => r.UserId == caller.UserId && r.Key == key);
        if (record is not null)
        {
            if (record.StatusCode is not null || record.Route != route || record.RequestHash != hash || !await TakeOverAsync(db, record, instance))
            {
                return Replay(record, route, hash);
            }
        }
        else
        {
            record = new IdempotencyRecord { UserId = caller.UserId, Key = key, Route = route, RequestHash = hash, CreatedAt = clock.GetUtcNow(), OwnerInstanceId = instance.Id };
            db.IdempotencyRecords.Add(record);
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateException)
            {
                db.Entry(record).State = EntityState.Detached;
                var winner = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == caller.UserId && r.Key == key);
                return winner is null ? Failure.Conflict("Another request with this Idempotency-Key is in progress.").ToProblem() : Replay(winner, route, hash);
            }
        }

        http.RequestServices.GetRequiredService<RequestIdempotency>().Set(caller.UserId, key);
        object? result;
        try
        {
            result = await next(invocation);
        }
        catch
        {
            await ForgetAsync(db, record);
            throw;
        }
        if (result is not IResult answer)
        {
            return result;
        }

        // Run the answer into a buffer to keep it, then send it on.
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await answer.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        // A conflict or a server error may clear up, and a provisional answer (Partner Center still processing) moves on: a
        // retry with the same key runs again, and the use case's recorded intent makes sure that nothing is done twice.
        if (http.Response.StatusCode >= 500 || http.Response.StatusCode == StatusCodes.Status409Conflict
            || http.RequestServices.GetRequiredService<RequestIdempotency>().Provisional)
        {
            await ForgetAsync(db, record);
        }
        else
        {
            record.StatusCode = http.Response.StatusCode;
            record.ContentType = http.Response.ContentType;
            record.Location = http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null;
            record.Body = buffer.ToArray();
            await db.SaveChangesAsync();
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original);
        return Results.Empty;
    }

    /// <summary>
    /// Takes an unanswered first request over when the instance that ran it is gone; one retry wins, by the owner it
    /// read. The use case behind the endpoint finds its own recorded intent and continues from there.
    /// </summary>
    private static async Task<bool> TakeOverAsync(SkyportDbContext db, IdempotencyRecord record, ThisInstance instance)
    {
        var owner = record.OwnerInstanceId;
        if (owner is { } id && await InstanceLiveness.IsAliveAsync(db, id))
        {
            return false;
        }
        var taken = await db.IdempotencyRecords
            .Where(r => r.UserId == record.UserId && r.Key == record.Key && r.StatusCode == null && r.OwnerInstanceId == owner)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.OwnerInstanceId, instance.Id));
        if (taken == 0)
        {
            return false;
        }
        record.OwnerInstanceId = instance.Id;
        db.Entry(record).Property(r => r.OwnerInstanceId).IsModified = false;
        return true;
    }

    private static IResult Replay(IdempotencyRecord record, string route, string hash)
    {
        if (record.Route != route || record.RequestHash != hash)
        {
            return Failure.RuleRefused("This Idempotency-Key was already used for a different request. Use a new key for a new request.").ToProblem();
        }
        if (record.StatusCode is not int status)
        {
            return Failure.Conflict("The first request with this Idempotency-Key is still in progress. Try again shortly.").ToProblem();
        }
        return new ReplayResult(status, record.ContentType, record.Location, record.Body ?? []);
    }

    private static async Task ForgetAsync(SkyportDbContext db, IdempotencyRecord record)
    {
        db.IdempotencyRecords.Remove(record);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static async Task<string> HashBodyAsync(HttpRequest request)
    {
        if (!request.Body.CanSeek)
        {
            return "";
        }
        request.Body.Position = 0;
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(request.Body));
        request.Body.Position = 0;
        return hash;
    }

    private sealed class ReplayResult(int status, string? contentType, string? location, byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.Headers["Idempotent-Replayed"] = "true";
            if (contentType is not null)
            {
                context.Response.ContentType = contentType;
            }
            if (location is not null)
            {
                context.Response.Headers.Location = location;
            }
            await context.Response.Body.WriteAsync(body);
        }
    }
}

/// <summary>Marks an endpoint that honours <c>Idempotency-Key</c>.</summary>
public sealed class IdempotentAttribute : Attribute;
