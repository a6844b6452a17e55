using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Skyport.Tests.Infrastructure;

/// <summary>One API route and method, as the endpoint data source knows it.</summary>
public sealed record ApiRoute(string Method, RouteEndpoint Endpoint)
{
    public RoutePattern Pattern => Endpoint.RoutePattern;

    /// <summary>The type the route reads from a JSON body, if any.</summary>
    public Type? BodyType => Endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;

    /// <summary>Whether the handler reads the raw request itself (a CSV upload).</summary>
    public bool ReadsRawBody => Handler?.GetParameters().Any(p => p.ParameterType == typeof(Microsoft.AspNetCore.Http.HttpRequest)) == true;

    public MethodInfo? Handler => Endpoint.Metadata.GetMetadata<MethodInfo>();

    public override string ToString() => $"{Method} /{Pattern.RawText?.TrimStart('/')}";
}

/// <summary>One Razor page, loaded (compiled) so that its model, handlers and bound properties can be read.</summary>
public sealed record PageRoute(RouteEndpoint Endpoint, CompiledPageActionDescriptor Page)
{
    public RoutePattern Pattern => Endpoint.RoutePattern;

    public override string ToString() => "/" + Pattern.RawText?.TrimStart('/');
}

/// <summary>The routes of the running app, from the endpoint data source, so that a new route is covered the day it is added.</summary>
public static class Routes
{
    public static IReadOnlyList<ApiRoute> Api(SkyportApp app) =>
        [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new ApiRoute(m, e)))];

    public static async Task<IReadOnlyList<PageRoute>> PagesAsync(SkyportApp app)
    {
        var loader = app.Services.GetRequiredService<PageLoader>();
        var pages = new List<PageRoute>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } descriptor)
            {
                pages.Add(new PageRoute(endpoint, await loader.LoadAsync(descriptor, endpoint.Metadata)));
            }
        }
        return pages;
    }

    /// <summary>The URL of a route with its parameters filled in (a value may be any text: it is escaped).</summary>
    public static string Fill(RoutePattern pattern, Func<string, string> valueOf) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => Uri.EscapeDataString(valueOf(parameter.Name)),
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));

    /// <summary>The properties a page binds from the request (<c>[BindProperty]</c>), with whether a GET binds them too.</summary>
    public static IEnumerable<(string Name, Type Type, bool OnGet)> BoundProperties(this PageRoute page) =>
        page.Page.BoundProperties.Select(p => (p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType,
            p is PageBoundPropertyDescriptor { Property: var property } && property.GetCustomAttribute<Microsoft.AspNetCore.Mvc.BindPropertyAttribute>()?.SupportsGet == true));

    /// <summary>The page's POST handlers: null is the unnamed one.</summary>
    public static IEnumerable<HandlerMethodDescriptor> PostHandlers(this PageRoute page) =>
        page.Page.HandlerMethods.Where(h => string.Equals(h.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase));

    /// <summary>The page's GET handlers: null is the unnamed one.</summary>
    public static IEnumerable<HandlerMethodDescriptor> GetHandlers(this PageRoute page) =>
        page.Page.HandlerMethods.Where(h => string.Equals(h.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase));

    public static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(Guid)
            || t == typeof(DateOnly) || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(TimeSpan);
    }
}
