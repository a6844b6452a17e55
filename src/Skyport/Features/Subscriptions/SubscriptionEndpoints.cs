using Microsoft.AspNetCore.Http.HttpResults;
using Skyport.Features.Catalog;
using Skyport.Features.Organizations;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

public static class SubscriptionEndpoints
{
    public sealed record ReconcileResult(int Events);

    public static RouteGroupBuilder MapSubscriptions(this RouteGroupBuilder api)
    {
        var subscriptions = api.MapGroup("/customers/{id}/o365/subscriptions")
            .RequireOrganizationAccess("id", OrganizationKind.Customer)
            .WithTags("Subscriptions");

        subscriptions.MapGet("/", async Task<Results<Ok<SubscriptionList>, ProblemHttpResult>> (Guid id, int? page, int? pageSize, ListSubscriptions list, CancellationToken ct) =>
            (await list.ListAsync(id, page, pageSize, ct)).ToHttp());

        subscriptions.MapPost("/", async Task<Results<Created<SubscriptionDto>, Accepted<SubscriptionDto>, ProblemHttpResult>> (Guid id, BuySubscriptionRequest request, BuySubscription buy, RequestIdempotency idempotency, CancellationToken ct) =>
            Bought(id, await buy.BuyAsync(id, request, idempotency.OperationKey, ct), idempotency)).WithIdempotency();

        subscriptions.MapGet("/term-end-dates", async Task<Results<Ok<IReadOnlyList<TermEndChoice>>, ProblemHttpResult>> (Guid id, string? termDuration, TermEndAlignment alignment, CancellationToken ct) =>
            (await alignment.ChoicesAsync(id, termDuration, ct)).ToHttp());

        subscriptions.MapPost("/reconcile", async Task<Results<Ok<ReconcileResult>, ProblemHttpResult>> (Guid id, SubscriptionReconciler reconciler, Tenants.AddO365Service services, CancellationToken ct) =>
            await services.FindAsync(id, ct) is { TenantId: { } tenant }
                ? TypedResults.Ok(new ReconcileResult(await reconciler.ReconcileTenantAsync(tenant, ct)))
                : Failure.RuleRefused("This customer has no active O365 CSP Direct service.").ToProblem());

        subscriptions.MapGet("/{sid:guid}", async Task<Results<Ok<SubscriptionDto>, ProblemHttpResult>> (Guid id, Guid sid, ListSubscriptions list, CancellationToken ct) =>
            (await list.GetAsync(id, sid, ct)).ToHttp());

        subscriptions.MapPatch("/{sid:guid}", async Task<Results<Ok<SubscriptionDto>, ProblemHttpResult>> (Guid id, Guid sid, ChangeSubscriptionRequest request, ChangeSubscription change, CancellationToken ct) =>
            (await change.ChangeAsync(id, sid, request, ct)).ToHttp());

        subscriptions.MapPut("/{sid:guid}/renewal", async Task<Results<Ok<SubscriptionDto>, ProblemHttpResult>> (Guid id, Guid sid, ScheduleRenewalRequest request, ScheduleRenewal schedule, CancellationToken ct) =>
            (await schedule.ScheduleAsync(id, sid, request, ct)).ToHttp());

        subscriptions.MapDelete("/{sid:guid}/renewal", async Task<Results<Ok<SubscriptionDto>, ProblemHttpResult>> (Guid id, Guid sid, ScheduleRenewal schedule, CancellationToken ct) =>
            (await schedule.RemoveAsync(id, sid, ct)).ToHttp());

        subscriptions.MapGet("/{sid:guid}/events", async Task<Results<Ok<IReadOnlyList<SubscriptionEventDto>>, ProblemHttpResult>> (Guid id, Guid sid, SubscriptionHistory history, CancellationToken ct) =>
            (await history.ReadAsync(id, sid, ct)).ToHttp());

        subscriptions.MapGet("/{sid:guid}/addons", async Task<Results<Ok<IReadOnlyList<CustomerOfferDto>>, ProblemHttpResult>> (Guid id, Guid sid, EligibleAddOns addOns, CancellationToken ct) =>
            (await addOns.ListAsync(id, sid, ct)).ToHttp());

        subscriptions.MapPost("/{sid:guid}/addons", async Task<Results<Created<SubscriptionDto>, Accepted<SubscriptionDto>, ProblemHttpResult>> (Guid id, Guid sid, BuyAddOnRequest request, BuySubscription buy, RequestIdempotency idempotency, CancellationToken ct) =>
            Bought(id, await buy.BuyAddOnAsync(id, sid, request, idempotency.OperationKey, ct), idempotency)).WithIdempotency();

        subscriptions.MapGet("/{sid:guid}/upgrades", async Task<Results<Ok<IReadOnlyList<UpgradeOfferDto>>, ProblemHttpResult>> (Guid id, Guid sid, int? quantity, UpgradeTargets upgrades, CancellationToken ct) =>
            (await upgrades.ListAsync(id, sid, quantity, ct)).ToHttp());

        subscriptions.MapPost("/{sid:guid}/upgrade", async Task<Results<Created<SubscriptionDto>, ProblemHttpResult>> (Guid id, Guid sid, UpgradeSubscriptionRequest request, UpgradeSubscription upgrade, RequestIdempotency idempotency, CancellationToken ct) =>
        {
            var upgraded = await upgrade.UpgradeAsync(id, sid, request, idempotency.OperationKey, ct);
            if (!upgraded.Succeeded) return upgraded.Failure!.ToProblem();
            return TypedResults.Created($"/api/v1/customers/{id}/o365/subscriptions/{upgraded.Value!.Id}", upgraded.Value);
        }).WithIdempotency();

        return api.MapPartnerCenterWebhook();
    }

    /// <summary>201 with the subscription; 202 while Partner Center is still processing the order (status <c>pending</c>).</summary>
    private static Results<Created<SubscriptionDto>, Accepted<SubscriptionDto>, ProblemHttpResult> Bought(Guid customerId, Outcome<SubscriptionDto> outcome, RequestIdempotency idempotency)
    {
        if (!outcome.Succeeded) return outcome.Failure!.ToProblem();
        var location = $"/api/v1/customers/{customerId}/o365/subscriptions/{outcome.Value!.Id}";
        if (outcome.Value.Status != "pending") return TypedResults.Created(location, outcome.Value);
        idempotency.AnswerIsProvisional(); // a retry reads the order again instead of replaying "pending"
        return TypedResults.Accepted(location, outcome.Value);
    }
}
