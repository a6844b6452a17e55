using Microsoft.EntityFrameworkCore;
using Skyport.Data;

namespace Skyport.Web;

/// <summary>Whether the instance that claimed some work still runs, by its heartbeat.</summary>
public static class InstanceLiveness
{
    public static async Task<bool> IsAliveAsync(SkyportDbContext db, Guid instanceId, CancellationToken ct = default)
    {
        var since = ThisInstance.AliveSince;
        return await db.Instances.AnyAsync(i => i.Id == instanceId && i.HeartbeatAt >= since, ct);
    }
}
