using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace Skyport.PartnerCenter;

/// <summary>
/// MSAL's HTTP through <see cref="IHttpClientFactory"/> (the token client, with its resilience handler).
/// MSAL refuses an authority that is not https, but the embedded or standalone emulator listens on http on loopback:
/// MSAL is given the emulator's address with https, and <see cref="EmulatorSchemeHandler"/> sends those requests to the
/// configured http address. Against Microsoft the authority is https already and nothing is rewritten.
/// </summary>
public sealed class MsalHttpClients(IHttpClientFactory httpClients) : IMsalHttpClientFactory
{
    public HttpClient GetHttpClient() => httpClients.CreateClient(EntraTokenProvider.HttpClientName);
}
