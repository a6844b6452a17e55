using Skyport.Web;

namespace Skyport.Features.ConnectionCheck;

public static class ConnectionCheckEndpoints
{
    public static RouteGroupBuilder MapConnectionCheck(this RouteGroupBuilder api)
    {
        api.MapGet("/partner-center/check", async (CheckPartnerCenter check, CancellationToken ct) => TypedResults.Ok(await check.RunAsync(ct)))
            .RequireAuthorization(Policies.Broker)
            .WithTags("Partner Center");
        return api;
    }
}
