using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Control;

/// <summary>
/// Partner Center's own rate limits: per partner, and per partner and customer for the customer and
/// subscription resources (500 requests a minute per tenant identifier). A window opens with its first request and lasts a minute.
/// </summary>
public sealed class Throttler(EmulatorOptions options)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> _counts = [];

    /// <summary>Seconds to wait, or null when the request may go through.</summary>
    public int? Check(PathString path, DateTimeOffset now)
    {
        if (!options.ThrottlingEnabled || !path.StartsWithSegments("/v1")) return null;
        var segments = path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var customerScoped = segments.Length >= 3 && segments[1].Equals("customers", StringComparison.OrdinalIgnoreCase) && Guid.TryParse(segments[2], out _);
        var key = customerScoped ? "customer:" + segments[2].ToLowerInvariant() : "partner";
        var limit = customerScoped ? options.CustomerRequestsPerMinute : options.PartnerRequestsPerMinute;
        lock (_lock)
        {
            var (start, count) = _counts.GetValueOrDefault(key);
            if (now - start >= Window) (start, count) = (now, 0);
            if (count >= limit)
            {
                return Math.Max(1, (int)Math.Ceiling((start + Window - now).TotalSeconds));
            }
            _counts[key] = (start, count + 1);
            return null;
        }
    }
}
