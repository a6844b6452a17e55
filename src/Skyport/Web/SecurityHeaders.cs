namespace Skyport.Web;

/// <summary>
/// Headers on every response (pages, API, static files, error pages): scripts, styles and everything else only from
/// Skyport itself, never in a frame, no content sniffing, no full address sent to other sites. The pages carry no
/// inline script or style (a test keeps it so); their behaviour lives in wwwroot/js/site.js.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // At the start of the response, so that the exception handler and the status pages, which clear headers, keep them.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
