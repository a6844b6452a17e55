using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Organizations;

namespace Skyport.Web;

/// <summary>
/// Marks an endpoint whose route names an organization. The access check loads that organization through the
/// caller's subtree filter before any binding or handler runs; an organization that is not there, not visible
/// or not of the required kind answers 404 alike.
/// </summary>
public sealed record OrganizationScopeAttribute(string RouteParameter, OrganizationKind? RequiredKind = null);

public static class OrganizationAccess
{
    public static TBuilder RequireOrganizationAccess<TBuilder>(this TBuilder builder, string routeParameter, OrganizationKind? kind = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OrganizationScopeAttribute(routeParameter, kind));

    /// <summary>The organization the access check loaded for this request.</summary>
    public static Organization Organization(this HttpContext context) =>
        context.Features.Get<Organization>() ?? throw new InvalidOperationException("No organization was loaded for this endpoint.");

    public static IApplicationBuilder UseOrganizationAccess(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var scope = context.GetEndpoint()?.Metadata.GetMetadata<OrganizationScopeAttribute>();
        if (scope is not null)
        {
            var raw = context.Request.RouteValues[scope.RouteParameter]?.ToString();
            var caller = context.RequestServices.GetRequiredService<Caller>();
            var db = context.RequestServices.GetRequiredService<SkyportDbContext>();
            // Checked here on its own, not only through the query filter, so that each guard holds without the other.
            var organization = caller.IsSignedIn && Guid.TryParse(raw, out var id)
                ? await db.Organizations.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, context.RequestAborted)
                : null;
            if (organization is null || !organization.Path.StartsWith(caller.OrganizationPath, StringComparison.Ordinal)
                || (scope.RequiredKind is { } kind && organization.Kind != kind))
            {
                var what = scope.RequiredKind == OrganizationKind.Customer ? "The customer" : "The organization";
                await Results.Problem(new ProblemDetails
                {
                    Status = StatusCodes.Status404NotFound,
                    Title = "Not found",
                    Detail = $"{what} '{ProblemDetailsSetup.Shorten(raw)}' was not found.",
                }).ExecuteAsync(context);
                return;
            }
            context.Features.Set(organization);
        }
        await next(context);
    });
}
