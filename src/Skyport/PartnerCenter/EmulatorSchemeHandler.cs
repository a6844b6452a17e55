using Microsoft.Extensions.Options;

namespace Skyport.PartnerCenter;

/// <summary>Sends MSAL's https requests for an http authority (an emulator on loopback) to that http address.</summary>
public sealed class EmulatorSchemeHandler(IOptions<PartnerCenterOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (options.Value.AuthorityUrl is { } authority && new Uri(authority) is { Scheme: "http" } http
            && request.RequestUri is { Scheme: "https" } uri && uri.Host == http.Host && uri.Port == http.Port)
        {
            request.RequestUri = new UriBuilder(uri) { Scheme = "http", Port = http.Port }.Uri;
        }
        return base.SendAsync(request, cancellationToken);
    }
}
