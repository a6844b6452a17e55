using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Skyport.Tests.Infrastructure;

/// <summary>Every API route of the running app, from its endpoint data source: a route added tomorrow is covered too.</summary>
public static class ApiRoutes
{
    public static IEnumerable<(string Method, RouteEndpoint Endpoint)> All(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e)));

    /// <summary>The route's path with each parameter's value, as it goes into a URL (already escaped).</summary>
    public static string Fill(RoutePattern pattern, Func<string, string> valueOf) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => valueOf(parameter.Name),
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));
}
