using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Control;

/// <summary>
/// Partner Center's own rate limits: per partner, and per partner and customer for the customer and
/// subscription resources (500 requests a minute per tenant identifier). Fixed one-minute windows.
/// </summary>
public sealed class Throttler(EmulatorOptions options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Window, int Count)> _counts = [];

    /// <summary>Seconds to wait, or null when the request may go through.</summary>
    public int? Check(PathString path, DateTimeOffset now)
    {
        if (!options.ThrottlingEnabled || !path.StartsWithSegments("/v1")) return null;
        var segments = path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var customerScoped = segments.Length >= 3 && segments[1].Equals("customers", StringComparison.OrdinalIgnoreCase) && Guid.TryParse(segments[2], out _);
        var key = customerScoped ? "customer:" + segments[2].ToLowerInvariant() : "partner";
        var limit = customerScoped ? options.CustomerRequestsPerMinute : options.PartnerRequestsPerMinute;
        var window = now.ToUnixTimeSeconds() / 60;
        lock (_lock)
        {
            var (w, count) = _counts.GetValueOrDefault(key);
            if (w != window) count = 0;
            if (count >= limit)
            {
                return (int)(60 - now.ToUnixTimeSeconds() % 60);
            }
            _counts[key] = (window, count + 1);
            return null;
        }
    }
}
