using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Subscriptions;

namespace Skyport.PartnerCenterEmulator.Control;

/// <summary>The control plane under /_emulator: clock, faults, sign-in check, state and the partner's tenant id.</summary>
public static class ControlEndpoints
{
    private const int MaxAdvanceDays = 36_600;

    public static void Map(WebApplication app)
    {
        var control = app.MapGroup("/_emulator");
        control.MapGet("/partner", (EmulatorOptions options) => Results.Ok(new { tenantId = options.PartnerTenantId }));

        // A tenant that exists in Microsoft Entra but is not this partner's customer: its domain is taken, and it
        // becomes a customer only when its administrator accepts a reseller relationship.
        control.MapPost("/tenants", async (HttpContext http, EmulatorDb db, EmulatorClock clock) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            var domain = body?.String("domain", required: true)?.Trim().ToLowerInvariant();
            var companyName = body?.String("companyName") ?? domain;
            if (body is null || body.HasErrors || string.IsNullOrEmpty(domain)) return Problem("The body must be { \"domain\", \"companyName\" }.");
            if (await db.Tenants.AnyAsync(t => t.Domain == domain)) return Results.Problem($"The domain {domain} is already in use.", statusCode: 409);
            var now = clock.UtcNow;
            var tenant = new Tenant
            {
                Id = Guid.NewGuid(),
                Seq = await db.NextSequenceAsync("tenant"),
                CommerceId = Guid.NewGuid(),
                Domain = domain,
                CompanyName = companyName!,
                RelationshipToPartner = "none",
                CreatedAt = now,
                BillingProfile = new BillingProfile(Guid.NewGuid(), null, null, "admin@" + domain, "en-US", "en", companyName!,
                    new Address(null, null, null, null, null, null, null, null, ""), now.Ticks.ToString()),
            };
            db.Tenants.Add(tenant);
            await Users.TenantDirectory.AddUserAsync(db, tenant, new DirectoryUser
            {
                UserPrincipalName = "admin@" + domain,
                DisplayName = "Global administrator",
                Password = Users.PasswordPolicy.Generate(Random.Shared),
            }, now);
            await db.SaveChangesAsync();
            return Results.Created($"/_emulator/tenants/{domain}", new { id = tenant.Id, domain, relationshipToPartner = tenant.RelationshipToPartner });
        });

        // The tenant's global administrator accepts the reseller relationship request.
        control.MapPost("/tenants/{domain}/relationship", async (string domain, EmulatorDb db) =>
        {
            var lower = domain.Trim().ToLowerInvariant();
            var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Domain == lower && !t.IsPartner);
            if (tenant is null) return Results.Problem($"No tenant has the domain {lower}.", statusCode: 404);
            tenant.RelationshipToPartner = "reseller";
            await db.SaveChangesAsync();
            return Results.Ok(new { id = tenant.Id, domain = tenant.Domain, relationshipToPartner = tenant.RelationshipToPartner });
        });

        control.MapGet("/clock", (EmulatorClock clock) => Results.Ok(new { now = clock.GetUtcNow() }));
        control.MapPut("/clock", async (HttpContext http, EmulatorClock clock, EmulatorDb db, Lifecycle lifecycle) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            var text = body?.String("now", required: true);
            if (body is null || body.HasErrors || !DateTimeOffset.TryParse(text, out var now))
            {
                return Problem("The body must be { \"now\": \"<ISO 8601 instant>\" }.");
            }
            clock.SetNow(now);
            await SaveOffsetAsync(db, clock);
            await lifecycle.CatchUpAsync(db);
            return Results.Ok(new { now = clock.GetUtcNow() });
        });
        control.MapPost("/clock/advance", async (HttpContext http, EmulatorClock clock, EmulatorDb db, Lifecycle lifecycle) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            var days = body?.Int("days") ?? 0;
            var hours = body?.Int("hours") ?? 0;
            var minutes = body?.Int("minutes") ?? 0;
            if (body is null || body.HasErrors || days < 0 || hours < 0 || minutes < 0)
            {
                return Problem("The body must be { \"days\": n, \"hours\": n, \"minutes\": n } with whole, non-negative numbers.");
            }
            if (days + hours / 24.0 + minutes / 1440.0 > MaxAdvanceDays)
            {
                return Problem($"The clock moves at most {MaxAdvanceDays} days at a time.");
            }
            var by = new TimeSpan(days, hours, minutes, 0);
            // Step a day at a time so that renewals, cycles and invoices happen in order.
            while (by > TimeSpan.Zero)
            {
                var step = by > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : by;
                clock.Advance(step);
                by -= step;
            }
            await SaveOffsetAsync(db, clock);
            await lifecycle.CatchUpAsync(db);
            return Results.Ok(new { now = clock.GetUtcNow() });
        });

        control.MapGet("/faults", (FaultInjector faults) => Results.Ok(faults.Rules));
        control.MapPut("/faults", async (HttpContext http, FaultInjector faults) =>
        {
            List<FaultRule>? rules;
            try
            {
                rules = await JsonSerializer.DeserializeAsync<List<FaultRule>>(http.Request.Body, Json.Pc);
            }
            catch (JsonException e)
            {
                return Problem("The body must be an array of { method, pathPattern, kind, rate, status, retryAfterSeconds, delayMs, times }: " + e.Message);
            }
            if (rules is null) return Problem("The body must be an array of fault rules.");
            foreach (var rule in rules)
            {
                if (!FaultInjector.Kinds.Contains(rule.Kind)) return Problem($"kind must be one of {string.Join(", ", FaultInjector.Kinds)}.");
                if (rule.Rate is < 0 or > 1) return Problem("rate must be between 0 and 1.");
                if (rule.DelayMs is < 0 or > 600_000) return Problem("delayMs must be between 0 and 600000.");
                if (rule.RetryAfterSeconds is < 0 or > 3600) return Problem("retryAfterSeconds must be between 0 and 3600.");
                if (rule.Kind == "error" && rule.Status is < 400 or > 599) return Problem("status of an error fault must be between 400 and 599.");
                if (rule.Times is < 1) return Problem("times must be 1 or more.");
            }
            int? seed = int.TryParse(http.Request.Query["seed"], out var s) ? s : null;
            faults.Set(rules, seed);
            return Results.Ok(faults.Rules);
        });
        control.MapDelete("/faults", (FaultInjector faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });

        control.MapGet("/settings", (ProcessingSettings settings) => Results.Ok(settings.Json()));
        control.MapPut("/settings", async (HttpContext http, ProcessingSettings settings) =>
        {
            const string shape = "The body must be { \"orderPendingSeconds\": 0-86400, \"patchAcceptedRate\": 0-1, \"patchDelaySeconds\": 0-86400, \"seed\": n, \"gdapApproveAfterSeconds\": seconds or -1 for off }; every field is optional.";
            SettingsBody? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<SettingsBody>(http.Request.Body, Json.Pc);
            }
            catch (JsonException e)
            {
                return Problem(shape + " " + e.Message);
            }
            if (body is null || body.OrderPendingSeconds is < 0 or > 86_400 || body.PatchDelaySeconds is < 0 or > 86_400 || body.PatchAcceptedRate is < 0 or > 1)
            {
                return Problem(shape);
            }
            settings.Set(Seconds(body.OrderPendingSeconds), body.PatchAcceptedRate, Seconds(body.PatchDelaySeconds), body.Seed);
            // -1 turns the customer's automatic approval off again.
            if (body.GdapApproveAfterSeconds is { } approve) settings.SetGdapApproveAfter(approve < 0 ? null : TimeSpan.FromSeconds(approve));
            return Results.Ok(settings.Json());
        });

        control.MapPost("/signin", async (HttpContext http, EmulatorDb db) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            var upn = body?.String("userPrincipalName", required: true);
            var password = body?.String("password", required: true);
            if (body is null || body.HasErrors) return Problem("The body must be { \"userPrincipalName\", \"password\" }.");
            var normalized = DirectoryUser.Normalize(upn!);
            var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUpn == normalized && u.State == UserStates.Active);
            if (user is null || !user.AccountEnabled || user.Password != password)
            {
                return Results.Json(new { error = "invalid_grant", error_description = "AADSTS50126: Error validating credentials due to invalid username or password." }, statusCode: 401);
            }
            return Results.Ok(new { userPrincipalName = user.UserPrincipalName, tenantId = user.TenantId, userId = user.Id, forceChangePassword = user.ForceChangePassword });
        });

        control.MapGet("/state", async (EmulatorDb db, EmulatorClock clock) =>
        {
            var tenants = await db.Tenants.OrderBy(t => t.Seq).ToListAsync();
            var users = await db.Users.Where(u => u.State != UserStates.Purged).OrderBy(u => u.Seq).ToListAsync();
            var subscriptions = await db.Subscriptions.OrderBy(s => s.Seq).ToListAsync();
            var orders = await db.Orders.OrderBy(o => o.Seq).ToListAsync();
            return Results.Ok(new
            {
                now = clock.GetUtcNow(),
                tenants = tenants.Select(t => new
                {
                    id = t.Id,
                    isPartner = t.IsPartner,
                    domain = t.Domain,
                    companyName = t.CompanyName,
                    createdAt = t.CreatedAt,
                    users = users.Where(u => u.TenantId == t.Id).Select(u => new
                    {
                        id = u.Id,
                        userPrincipalName = u.UserPrincipalName,
                        displayName = u.DisplayName,
                        state = u.State,
                        usageLocation = u.UsageLocation,
                        licenses = u.Licenses.Select(l => l.SkuId),
                    }),
                    subscriptions = subscriptions.Where(s => s.TenantId == t.Id).Select(s => new
                    {
                        id = s.Id,
                        offerId = $"{s.ProductId}:{s.SkuId}:{s.AvailabilityId}",
                        offerName = s.OfferName,
                        friendlyName = s.FriendlyName,
                        quantity = s.Quantity,
                        status = s.Status,
                        autoRenewEnabled = s.AutoRenewEnabled,
                        termDuration = s.TermDuration,
                        billingCycle = s.BillingCycle,
                        commitmentEndDate = s.CommitmentEndDate,
                        parentSubscriptionId = s.ParentSubscriptionId,
                        scheduledNextTermInstructions = ScheduledChanges.Json(s.ScheduledNextTerm),
                        cancelAtTermEnd = s.CancelAtTermEnd,
                        extendedServiceTerm = ExtendedServiceTerm.Json(s),
                        transitions = s.Transitions.Select(TransitionEndpoints.Json),
                    }),
                    orders = orders.Where(o => o.TenantId == t.Id).Select(o => new { id = o.Id, creationDate = o.CreationDate, status = o.Status, lineItems = o.LineItems }),
                    agreements = t.Agreements.Select(a => new { type = a.Type, templateId = a.TemplateId, primaryContact = a.PrimaryContact, dateAgreed = a.DateAgreed }),
                    applicationConsents = t.ApplicationConsents.Select(c => new { applicationId = c.ApplicationId, displayName = c.DisplayName, grants = c.Grants }),
                    adminRelationships = t.AdminRelationships.Select(r => new
                    {
                        id = r.Id,
                        displayName = r.DisplayName,
                        status = r.Status,
                        roleDefinitionIds = r.RoleDefinitionIds,
                        accessAssignments = r.AccessAssignments.Select(a => new { accessContainerId = a.AccessContainerId, roleDefinitionIds = a.RoleDefinitionIds, status = a.Status }),
                    }),
                }),
            });
        });

        BulkUsers.Map(control);
        InspectionPage.Map(control);
    }

    private sealed record SettingsBody(double? OrderPendingSeconds, double? PatchAcceptedRate, double? PatchDelaySeconds, int? Seed, double? GdapApproveAfterSeconds);

    private static TimeSpan? Seconds(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;

    internal static IResult Problem(string detail) => Results.Problem(detail, statusCode: 400, title: "Invalid control request");

    private static async Task SaveOffsetAsync(EmulatorDb db, EmulatorClock clock)
    {
        await db.SetMetaAsync("clockOffsetTicks", clock.Offset.Ticks.ToString());
        await db.SaveChangesAsync();
    }
}
