using Microsoft.AspNetCore.Http.HttpResults;
using Skyport.Features.Organizations;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Tenants;

public static class TenantEndpoints
{
    public sealed record DomainAvailability(string Domain, bool Available);

    public static RouteGroupBuilder MapTenants(this RouteGroupBuilder api)
    {
        var o365 = api.MapGroup("/customers/{id}/o365")
            .RequireOrganizationAccess("id", OrganizationKind.Customer)
            .WithTags("O365 CSP Direct");

        o365.MapGet("/domain-availability", async Task<Results<Ok<DomainAvailability>, ProblemHttpResult>> (
            string? domain, PartnerCenterClient partnerCenter, CancellationToken ct) =>
        {
            var prefix = domain?.Trim();
            if (prefix is not null && prefix.EndsWith(OnboardingRules.TenantDomainSuffix, StringComparison.OrdinalIgnoreCase))
            {
                prefix = prefix[..^OnboardingRules.TenantDomainSuffix.Length];
            }
            if (OnboardingRules.DomainPrefixError(prefix) is { } error)
            {
                return Failure.Invalid("domain", error).ToProblem();
            }
            var full = OnboardingRules.Domain(prefix!);
            try
            {
                return TypedResults.Ok(new DomainAvailability(full, await partnerCenter.IsDomainAvailableAsync(full, ct)));
            }
            catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
            {
                return Failure.UpstreamFailed("Partner Center could not check the domain. Try again in a moment.").ToProblem();
            }
        });

        o365.MapPost("/", async Task<Results<Created<O365ServiceDto>, ProblemHttpResult>> (
            Guid id, AddO365Request request, AddO365Service add, CancellationToken ct) =>
        {
            var outcome = await add.RunAsync(id, request, ct);
            return outcome.Succeeded
                ? TypedResults.Created($"/api/v1/customers/{id}/o365", outcome.Value)
                : outcome.Failure!.ToProblem();
        }).WithIdempotency();

        o365.MapGet("/", async Task<Results<Ok<O365ServiceDto>, ProblemHttpResult>> (Guid id, AddO365Service add, CancellationToken ct) =>
            await add.FindAsync(id, ct) is { } service
                ? TypedResults.Ok(O365ServiceDto.From(service))
                : Failure.NotFound("The O365 CSP Direct service of this customer").ToProblem());

        return api;
    }
}
