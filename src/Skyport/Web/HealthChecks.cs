using Microsoft.Extensions.Diagnostics.HealthChecks;
using Skyport.Data;

namespace Skyport.Web;

public sealed class DatabaseHealthCheck(SkyportDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy("The database answers.")
            : HealthCheckResult.Unhealthy("The database does not answer.");
}
