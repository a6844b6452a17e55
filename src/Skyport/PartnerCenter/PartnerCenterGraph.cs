using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Skyport.PartnerCenter;

/// <summary>Graph clients per customer tenant, through the official SDK and its middleware (retry honouring Retry-After).</summary>
public sealed class PartnerCenterGraph(IHttpClientFactory httpClients, EntraTokenProvider tokens, IOptions<PartnerCenterOptions> options)
{
    public const string HttpClientName = "PartnerCenter.Graph";

    public GraphServiceClient ForTenant(string tenantId) =>
        new(httpClients.CreateClient(HttpClientName), new BaseBearerTokenAuthenticationProvider(tokens.ForGraph(tenantId)), options.Value.GraphBaseUrl);

    public GraphServiceClient ForTenant(Guid tenantId) => ForTenant(tenantId.ToString());
}
