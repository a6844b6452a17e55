using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing.Patterns;
using Skyport.Data;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Web;

/// <summary>
/// Every POST handler of every page, posted by a signed-in broker without the antiforgery token, is refused with 400
/// before it runs. The handlers come from the pages themselves, so a page added tomorrow is covered too.
/// </summary>
public sealed class AntiforgeryTests(SqliteSkyport app) : IClassFixture<SqliteSkyport>
{
    [Fact]
    public async Task Every_page_form_post_without_the_antiforgery_token_is_refused()
    {
        var handlers = await PostHandlersAsync();
        Assert.True(handlers.Count > 20, $"Only {handlers.Count} post handlers were found: {string.Join(", ", handlers)}");
        Assert.Contains(handlers, h => h.Url == "/account/login");
        Assert.Contains(handlers, h => h.Url.StartsWith("/price-lists", StringComparison.Ordinal) && h.Handler == "RemoveAll");

        var northwind = await Known.IdOfAsync(app, DemoData.Customer.Organization);
        var broker = new Browser(app);
        await broker.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        var failures = new List<string>();
        foreach (var (url, handler) in handlers)
        {
            var target = url.Replace("{customerId}", northwind.ToString()).Replace("{id}", northwind.ToString());
            target = System.Text.RegularExpressions.Regex.Replace(target, "\\{[a-zA-Z]+\\}", Guid.NewGuid().ToString());
            if (handler is not null)
            {
                target += $"?handler={handler}";
            }
            var response = await broker.PostAsync(target, new Dictionary<string, string>());
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"POST {target}: {(int)response.StatusCode}");
            }
        }
        Assert.True(failures.Count == 0, "Form posts without a token that were not refused:" + Environment.NewLine + string.Join(Environment.NewLine, failures));
    }

    private async Task<List<(string Url, string? Handler)>> PostHandlersAsync()
    {
        var loader = app.Services.GetRequiredService<PageLoader>();
        var pages = app.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items.OfType<PageActionDescriptor>()
            .Where(p => p.AttributeRouteInfo?.Template is not null)
            .GroupBy(p => p.ViewEnginePath)
            .Select(g => g.First());
        var handlers = new List<(string, string?)>();
        foreach (var page in pages)
        {
            var compiled = await loader.LoadAsync(page, EndpointMetadataCollection.Empty);
            if (compiled.EndpointMetadata.OfType<Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryTokenAttribute>().Any())
            {
                continue; // the status page: it only shows a message, also for a post re-executed after an error
            }
            var url = "/" + string.Join('/', RoutePatternFactory.Parse(page.AttributeRouteInfo!.Template!).PathSegments
                .Select(s => string.Concat(s.Parts.Select(p => p is RoutePatternParameterPart parameter ? $"{{{parameter.Name}}}" : ((RoutePatternLiteralPart)p).Content))));
            handlers.AddRange(compiled.HandlerMethods
                .Where(h => string.Equals(h.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase))
                .Select(h => (url, h.Name)));
        }
        return handlers;
    }
}
