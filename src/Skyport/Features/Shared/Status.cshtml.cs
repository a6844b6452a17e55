using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Skyport.Features.Shared;

[AllowAnonymous]
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }
    public string Title { get; private set; } = "";
    public string Explanation { get; private set; } = "";
    public string? TraceId { get; private set; }

    public void OnGet(int code, string? traceId) => Show(code, traceId);

    public void OnPost(int code, string? traceId) => Show(code, traceId);

    private void Show(int code, string? traceId)
    {
        Code = code;
        TraceId = traceId;
        (Title, Explanation) = code switch
        {
            404 => ("Not found", "There is nothing here, or it belongs to an organization you cannot see."),
            403 => ("Not allowed", "Your role does not allow this."),
            409 => ("Changed meanwhile", "Someone else changed this at the same time. Go back, reload and try again."),
            400 => ("Bad request", "The request could not be read."),
            429 => ("Too many attempts", "Too many attempts from your address. Wait a minute, then try again."),
            _ => ("Something went wrong", "Skyport could not complete the request. Try again; if it keeps happening, give the trace id to support."),
        };
    }
}
