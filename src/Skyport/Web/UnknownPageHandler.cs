using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Skyport.Web;

/// <summary>
/// A request that selects none of a page's handlers (a POST to a page that only has OnGet, or <c>?handler=Nonsense</c>)
/// is not found. Razor Pages would otherwise render the page without running any handler, so without its data.
/// </summary>
public sealed class UnknownPageHandler : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HandlerMethod is null && context.ActionDescriptor.HandlerMethods.Count > 0)
        {
            context.Result = new NotFoundResult();
            return;
        }
        await next();
    }
}
