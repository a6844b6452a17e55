using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Skyport.PartnerCenter;

/// <summary>
/// Partner Center REST v1 over plain HTTP, as Microsoft documents it. Every call carries a bearer token,
/// a fresh <c>MS-CorrelationId</c> and an <c>MS-RequestId</c> that stays the same across retries, so a retried
/// create is idempotent. Expected failures come back as <see cref="PartnerCenterError"/>.
/// </summary>
public sealed class PartnerCenterClient(HttpClient http, EntraTokenProvider tokens, IOptions<PartnerCenterOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<bool> IsDomainAvailableAsync(string domain, CancellationToken ct = default)
    {
        using var request = await RequestAsync(HttpMethod.Head, $"/v1/domains/{Uri.EscapeDataString(domain)}", null, ct);
        using var response = await http.SendAsync(request, ct);
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => true,
            HttpStatusCode.OK => false,
            _ => throw new HttpRequestException($"Domain check answered {(int)response.StatusCode}.", null, response.StatusCode),
        };
    }

    public Task<PartnerCenterResult<Customer>> CreateCustomerAsync(NewCustomer customer, Guid? requestId = null, CancellationToken ct = default) =>
        SendAsync<Customer>(HttpMethod.Post, "/v1/customers", new
        {
            companyProfile = new { domain = customer.Domain },
            billingProfile = new
            {
                email = customer.Email,
                culture = customer.Culture,
                language = customer.Language,
                companyName = customer.CompanyName,
                defaultAddress = customer.Address,
            },
        }, ct, requestId);

    public Task<PartnerCenterResult<Customer>> GetCustomerAsync(Guid customerId, CancellationToken ct = default) =>
        SendAsync<Customer>(HttpMethod.Get, $"/v1/customers/{customerId}", null, ct);

    /// <summary>One page of customers; pass the previous page's continuation token for the next.</summary>
    public async Task<PartnerCenterResult<Page<Customer>>> ListCustomersAsync(int size = 100, string? continuationToken = null, CancellationToken ct = default)
    {
        var path = $"/v1/customers?size={size}" + (continuationToken is null ? "" : "&seekOperation=Next");
        return await PageAsync<Customer>(path, continuationToken, ct);
    }

    public async Task<PartnerCenterResult<Customer?>> FindCustomerByDomainAsync(string domain, CancellationToken ct = default)
    {
        var filter = Uri.EscapeDataString(JsonSerializer.Serialize(new { Field = "Domain", Value = domain, Operator = "starts_with" }));
        string? path = $"/v1/customers?size=100&filter={filter}", token = null;
        while (path is not null)
        {
            var page = await PageAsync<Customer>(path, token, ct);
            if (!page.IsSuccess) return page.Error!;
            if (page.Value!.Items.FirstOrDefault(c => c.CompanyProfile.Domain.Equals(domain, StringComparison.OrdinalIgnoreCase)) is { } found) return new(found, null);
            (path, token) = (page.Value.NextUri, page.Value.ContinuationToken);
        }
        return new((Customer?)null, null);
    }

    public async Task<PartnerCenterResult<string>> GetRelationshipRequestUrlAsync(CancellationToken ct = default)
    {
        var result = await SendAsync<JsonElement>(HttpMethod.Get, "/v1/customers/relationshiprequests", null, ct);
        return result.IsSuccess ? new PartnerCenterResult<string>(result.Value.GetProperty("url").GetString(), null) : result.Error!;
    }

    public const string CustomerAgreementType = "MicrosoftCustomerAgreement";

    /// <summary>
    /// Attests the customer's acceptance of the Microsoft Customer Agreement (confirm-customer-consent-customer-agreement),
    /// unless an attestation is already on record: a retry after a lost answer finds it instead of adding another.
    /// </summary>
    public async Task<PartnerCenterResult<bool>> EnsureCustomerAgreementAsync(Guid customerId, AgreementContact contact, DateTimeOffset dateAgreed, CancellationToken ct = default)
    {
        var existing = await SendAsync<JsonElement>(HttpMethod.Get, $"/v1/customers/{customerId}/agreements?agreementType={CustomerAgreementType}", null, ct);
        if (!existing.IsSuccess) return existing.Error!;
        if (existing.Value.GetProperty("items").GetArrayLength() > 0) return new(true, null);
        var templates = await SendAsync<JsonElement>(HttpMethod.Get, $"/v1/agreements?agreementType={CustomerAgreementType}", null, ct);
        if (!templates.IsSuccess) return templates.Error!;
        var templateId = templates.Value.GetProperty("items").EnumerateArray()
            .Select(t => t.GetProperty("templateId").GetString()).FirstOrDefault();
        if (templateId is null) return new PartnerCenterError(404, null, "Partner Center has no Microsoft Customer Agreement template.", []);
        var created = await SendAsync<JsonElement>(HttpMethod.Post, $"/v1/customers/{customerId}/agreements", new
        {
            primaryContact = contact,
            templateId,
            dateAgreed = dateAgreed.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"),
            type = CustomerAgreementType,
        }, ct);
        // 600061: "A partner confirmed agreement already exists for the customer."
        return created.IsSuccess || created.Error!.Code == "600061" ? new PartnerCenterResult<bool>(true, null) : created.Error!;
    }

    /// <summary>Microsoft Graph, the resource Skyport's application needs in a customer's tenant.</summary>
    public const string GraphApplicationId = "00000003-0000-0000-c000-000000000000";
    public const string GraphScopes = "User.ReadWrite.All,Directory.Read.All,Organization.Read.All";

    /// <summary>
    /// Consents Skyport's application in the customer's tenant (control-panel-vendor-apis), so that Entra issues it
    /// tokens there; a consent that exists already (409) is the one an earlier attempt made.
    /// </summary>
    public async Task<PartnerCenterResult<bool>> EnsureApplicationConsentAsync(Guid customerId, CancellationToken ct = default)
    {
        var created = await SendAsync<JsonElement>(HttpMethod.Post, $"/v1/customers/{customerId}/applicationconsents", new
        {
            applicationId = options.Value.ClientId,
            displayName = "Skyport",
            applicationGrants = new[] { new { enterpriseApplicationId = GraphApplicationId, scope = GraphScopes } },
        }, ct);
        return created.IsSuccess || created.Error!.HttpStatus == 409 ? new PartnerCenterResult<bool>(true, null) : created.Error!;
    }

    public Task<PartnerCenterResult<IReadOnlyList<Product>>> GetProductsAsync(string country = "US", CancellationToken ct = default) =>
        ItemsAsync<Product>($"/v1/products?country={country}&targetView=OnlineServices", ct);

    public Task<PartnerCenterResult<IReadOnlyList<Sku>>> GetSkusAsync(string productId, string country = "US", CancellationToken ct = default) =>
        ItemsAsync<Sku>($"/v1/products/{productId}/skus?country={country}", ct);

    public Task<PartnerCenterResult<IReadOnlyList<Availability>>> GetAvailabilitiesAsync(string productId, string skuId, string country = "US", CancellationToken ct = default) =>
        ItemsAsync<Availability>($"/v1/products/{productId}/skus/{skuId}/availabilities?country={country}", ct);

    /// <summary>SKUs that are add-ons and list <paramref name="productId"/>:<paramref name="skuId"/> among their prerequisites.</summary>
    public async Task<PartnerCenterResult<IReadOnlyList<Sku>>> GetAddOnsForAsync(string productId, string skuId, string country = "US", CancellationToken ct = default)
    {
        var products = await GetProductsAsync(country, ct);
        if (!products.IsSuccess) return products.Error!;
        var addOns = new List<Sku>();
        foreach (var product in products.Value!)
        {
            var skus = await GetSkusAsync(product.Id, country, ct);
            if (!skus.IsSuccess) return skus.Error!;
            addOns.AddRange(skus.Value!.Where(s => s.DynamicAttributes is { IsAddon: true } a
                && a.PrerequisiteSkus?.Contains($"{productId}:{skuId}", StringComparer.OrdinalIgnoreCase) == true));
        }
        return new(addOns, null);
    }

    /// <summary>
    /// The market's license-based price sheet from the Partner API (get-a-price-sheet), compressed on the way, kept in a
    /// temporary file that the caller disposes.
    /// </summary>
    public async Task<PartnerCenterResult<PriceSheetFile>> GetPriceSheetAsync(string market, CancellationToken ct = default)
    {
        var url = $"{options.Value.PartnerApiBaseUrl!.TrimEnd('/')}/v1.0/sales/pricesheets(Market='{Uri.EscapeDataString(market)}',PricesheetView='updatedlicensebased')/$value";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        try
        {
            // get-a-price-sheet: "This scenario only supports application user authentication."
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(TokenKind.AppUser, options.Value.TenantId!, PartnerCenterOptions.PartnerApiUserScope, ct));
        }
        catch (PartnerCenterSignInRequiredException e)
        {
            return SignInRequired(e);
        }
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("deflate"));
        request.Headers.Add("MS-CorrelationId", Guid.NewGuid().ToString());
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            return await FailureAsync(response, ct);
        }
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        return new(await PriceSheetFile.SaveAsync(body, ct), null);
    }

    public Task<PartnerCenterResult<Cart>> CreateCartAsync(Guid customerId, IEnumerable<CartLine> lines, CancellationToken ct = default, Guid? requestId = null) =>
        SendAsync<Cart>(HttpMethod.Post, $"/v1/customers/{customerId}/carts", new
        {
            lineItems = lines.Select(l => new
            {
                catalogItemId = l.CatalogItemId,
                quantity = l.Quantity,
                termDuration = l.TermDuration,
                billingCycle = l.BillingCycle,
                friendlyName = l.FriendlyName,
                provisioningContext = l.ParentSubscriptionId is { } parent ? new Dictionary<string, string> { ["parentSubscriptionId"] = parent.ToString() } : [],
                customTermEndDate = l.CustomTermEndDate?.ToString("yyyy-MM-dd"),
            }),
        }, ct, requestId);

    public Task<PartnerCenterResult<Cart>> GetCartAsync(Guid customerId, Guid cartId, CancellationToken ct = default) =>
        SendAsync<Cart>(HttpMethod.Get, $"/v1/customers/{customerId}/carts/{cartId}", null, ct);

    public Task<PartnerCenterResult<IReadOnlyList<Order>>> ListOrdersAsync(Guid customerId, CancellationToken ct = default) =>
        ItemsAsync<Order>($"/v1/customers/{customerId}/orders", ct);

    public Task<PartnerCenterResult<CheckoutResult>> CheckoutAsync(Guid customerId, Guid cartId, Guid? requestId = null, CancellationToken ct = default) =>
        SendAsync<CheckoutResult>(HttpMethod.Post, $"/v1/customers/{customerId}/carts/{cartId}/checkout", null, ct, requestId);

    /// <summary>Creates a cart and checks it out; returns the subscriptions' ids in line order.</summary>
    public async Task<PartnerCenterResult<IReadOnlyList<Guid>>> PurchaseAsync(Guid customerId, IEnumerable<CartLine> lines, CancellationToken ct = default)
    {
        var lineList = lines.ToList();
        var cart = await CreateCartAsync(customerId, lineList, ct);
        if (!cart.IsSuccess) return cart.Error!;
        var checkout = await CheckoutAsync(customerId, cart.Value!.Id, null, ct);
        if (!checkout.IsSuccess) return checkout.Error!;
        return new(SubscriptionIds(checkout.Value!, lineList), null);
    }

    /// <summary>The subscriptions a checkout made, in the order of the cart's lines.</summary>
    public static IReadOnlyList<Guid> SubscriptionIds(CheckoutResult checkout, IEnumerable<CartLine> lines)
    {
        var byOffer = checkout.Orders.SelectMany(o => o.LineItems).ToList();
        return lines.Select(l =>
        {
            var match = byOffer.First(i => i.OfferId.Equals(l.CatalogItemId, StringComparison.OrdinalIgnoreCase));
            byOffer.Remove(match);
            return match.SubscriptionId;
        }).ToList();
    }

    public Task<PartnerCenterResult<IReadOnlyList<Subscription>>> ListSubscriptionsAsync(Guid customerId, CancellationToken ct = default) =>
        ItemsAsync<Subscription>($"/v1/customers/{customerId}/subscriptions", ct);

    public Task<PartnerCenterResult<Subscription>> GetSubscriptionAsync(Guid customerId, Guid subscriptionId, CancellationToken ct = default) =>
        SendAsync<Subscription>(HttpMethod.Get, $"/v1/customers/{customerId}/subscriptions/{subscriptionId}", null, ct);

    public Task<PartnerCenterResult<Subscription>> UpdateSubscriptionAsync(Guid customerId, Guid subscriptionId, SubscriptionChange change, CancellationToken ct = default)
    {
        var body = new Dictionary<string, object> { ["attributes"] = new { objectType = "Subscription" } };
        if (change.Quantity is { } q) body["quantity"] = q;
        if (change.Status is { } s) body["status"] = s;
        if (change.AutoRenewEnabled is { } a) body["autoRenewEnabled"] = a;
        if (change.FriendlyName is { } f) body["friendlyName"] = f;
        return ChangeAsync(customerId, subscriptionId, body, change, ct);
    }

    /// <summary>
    /// Sends a subscription PATCH and, when Partner Center answers <c>202 Accepted</c> ("the patch operation takes longer
    /// than the expected time"), reads its <c>Location</c> until the subscription shows the change, so that a success
    /// always means Partner Center has it. Not landing within <see cref="PartnerCenterOptions.AcceptedChangeTimeout"/> is
    /// an unanswered call (<see cref="TimeoutException"/>).
    /// </summary>
    private async Task<PartnerCenterResult<Subscription>> ChangeAsync(Guid customerId, Guid subscriptionId, object body, SubscriptionChange change, CancellationToken ct)
    {
        var path = $"/v1/customers/{customerId}/subscriptions/{subscriptionId}";
        using var request = await RequestAsync(HttpMethod.Patch, path, body, ct);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return await ReadAsync<Subscription>(response, ct);
        }
        var location = response.Headers.Location is { } uri ? VersionRooted(uri.OriginalString) : path;
        var wait = RetryAfter(response);
        var deadline = DateTimeOffset.UtcNow + options.Value.AcceptedChangeTimeout;
        while (true)
        {
            await Task.Delay(wait, ct);
            using var poll = await RequestAsync(HttpMethod.Get, location, null, ct);
            using var answer = await http.SendAsync(poll, ct);
            var read = await ReadAsync<Subscription>(answer, ct);
            if (!read.IsSuccess || change.IsMadeOn(read.Value!)) return read;
            if (DateTimeOffset.UtcNow + wait > deadline)
            {
                throw new TimeoutException($"Partner Center accepted a change of subscription {subscriptionId} but had not made it after {options.Value.AcceptedChangeTimeout}.");
            }
            wait = RetryAfter(answer);
        }
    }

    private TimeSpan RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => options.Value.AcceptedChangePollInterval,
    } is var wait && wait > TimeSpan.Zero ? Min(wait, options.Value.AcceptedChangeTimeout) : TimeSpan.Zero;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Links and locations are relative to the version root ("/customers/..."), as in Microsoft's examples.</summary>
    private static string VersionRooted(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? absolute.ToString()
        : uri.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase) ? uri : "/v1" + uri;

    /// <summary>Schedules what the next term is to be (create-scheduled-changes); replaces any earlier schedule.</summary>
    public Task<PartnerCenterResult<Subscription>> ScheduleNextTermAsync(Guid customerId, Guid subscriptionId, ScheduledNextTermInstructions instructions, CancellationToken ct = default) =>
        ChangeAsync(customerId, subscriptionId, new Dictionary<string, object?>
        {
            ["scheduledNextTermInstructions"] = new
            {
                product = instructions.Product,
                quantity = instructions.Quantity,
                customTermEndDate = instructions.CustomTermEndDate,
            },
            ["attributes"] = new { objectType = "Subscription" },
        }, new SubscriptionChange(), ct);

    /// <summary>Removes the changes scheduled at renewal: the subscription renews as it is.</summary>
    public Task<PartnerCenterResult<Subscription>> ClearNextTermAsync(Guid customerId, Guid subscriptionId, CancellationToken ct = default) =>
        ChangeAsync(customerId, subscriptionId, new Dictionary<string, object?>
        {
            ["scheduledNextTermInstructions"] = null,
            ["attributes"] = new { objectType = "Subscription" },
        }, new SubscriptionChange(), ct);

    /// <summary>
    /// With <paramref name="cancel"/>: turns auto-renew off and ends the subscription at its term end instead of letting it
    /// enter the extended service term (an emulator field; Microsoft's is unpublished).
    /// </summary>
    public Task<PartnerCenterResult<Subscription>> SetCancelAtTermEndAsync(Guid customerId, Guid subscriptionId, bool cancel, CancellationToken ct = default) =>
        ChangeAsync(customerId, subscriptionId, new Dictionary<string, object?>
        {
            ["cancelAtTermEnd"] = cancel,
            ["attributes"] = new { objectType = "Subscription" },
        }, new SubscriptionChange(), ct);

    /// <summary>Cancels now (<c>status: deleted</c>): within 168 hours of purchase or renewal, or at any time in the extended service term.</summary>
    public Task<PartnerCenterResult<Subscription>> CancelSubscriptionAsync(Guid customerId, Guid subscriptionId, CancellationToken ct = default) =>
        UpdateSubscriptionAsync(customerId, subscriptionId, new SubscriptionChange(Status: "deleted"), ct);

    /// <summary>The SKUs the subscription may be upgraded to now (<c>immediate</c>) or at renewal (<c>scheduled</c>).</summary>
    public Task<PartnerCenterResult<IReadOnlyList<TransitionEligibility>>> GetTransitionEligibilitiesAsync(Guid customerId, Guid subscriptionId, bool scheduled = false, CancellationToken ct = default) =>
        ItemsAsync<TransitionEligibility>($"/v1/customers/{customerId}/subscriptions/{subscriptionId}/transitionEligibilities?eligibilityType={(scheduled ? "scheduled" : "immediate")}", ct);

    /// <summary>Upgrades some or all of the subscription's seats; the answer names the target subscription.</summary>
    /// <param name="requestId">Kept across retries of the same upgrade, so that Partner Center answers the first transition again instead of making another.</param>
    public Task<PartnerCenterResult<Transition>> TransitionAsync(Guid customerId, Guid subscriptionId, TransitionRequest request, CancellationToken ct = default, Guid? requestId = null) =>
        SendAsync<Transition>(HttpMethod.Post, $"/v1/customers/{customerId}/subscriptions/{subscriptionId}/transitions", new
        {
            toCatalogItemId = request.ToCatalogItemId,
            toSubscriptionId = request.ToSubscriptionId,
            quantity = request.Quantity,
            transitionType = request.TransitionType,
        }, ct, requestId);

    /// <summary>The upgrades the subscription took part in, as source or target.</summary>
    public Task<PartnerCenterResult<IReadOnlyList<Transition>>> ListTransitionsAsync(Guid customerId, Guid subscriptionId, CancellationToken ct = default) =>
        ItemsAsync<Transition>($"/v1/customers/{customerId}/subscriptions/{subscriptionId}/transitions", ct);

    /// <summary>The end dates a new subscription of <paramref name="termDuration"/> may be bought with (custom-term-end-dates).</summary>
    public Task<PartnerCenterResult<IReadOnlyList<CustomTermEndDateOption>>> GetCustomTermEndDatesAsync(
        Guid customerId, string termDuration, DateOnly? termStartDate = null, Guid? cotermSubscriptionId = null, CancellationToken ct = default)
    {
        var query = $"term_duration={Uri.EscapeDataString(termDuration)}";
        if (termStartDate is { } start) query += $"&term_start_date={start:yyyy-MM-dd}";
        if (cotermSubscriptionId is { } target) query += $"&target_coterm_subscription_id={target}";
        return ItemsAsync<CustomTermEndDateOption>($"/v1/customers/{customerId}/subscriptions/customTermEndDates?{query}", ct);
    }

    public Task<PartnerCenterResult<IReadOnlyList<Subscription>>> GetSubscriptionAddOnsAsync(Guid customerId, Guid subscriptionId, CancellationToken ct = default) =>
        ItemsAsync<Subscription>($"/v1/customers/{customerId}/subscriptions/{subscriptionId}/addons", ct);

    /// <summary>Registers (or updates) the partner's one webhook registration.</summary>
    public Task<PartnerCenterResult<JsonElement>> RegisterWebhookAsync(string webhookUrl, IEnumerable<string> events, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Post, "/webhooks/v1/registration", new { webhookUrl, webhookEvents = events.ToArray() }, ct);

    public Task<PartnerCenterResult<CustomerUser>> CreateUserAsync(Guid customerId, NewCustomerUser user, Guid? requestId = null, CancellationToken ct = default) =>
        SendAsync<CustomerUser>(HttpMethod.Post, $"/v1/customers/{customerId}/users", new
        {
            userPrincipalName = user.UserPrincipalName,
            displayName = user.DisplayName,
            firstName = user.FirstName,
            lastName = user.LastName,
            usageLocation = user.UsageLocation,
            passwordProfile = new { password = user.PasswordProfile.Password, forceChangePassword = user.PasswordProfile.ForceChangePassword },
            attributes = new { objectType = "CustomerUser" },
        }, ct, requestId);

    /// <summary>All active users (or deleted ones, with <paramref name="deleted"/>), following every page.</summary>
    public async Task<PartnerCenterResult<IReadOnlyList<CustomerUser>>> ListUsersAsync(Guid customerId, bool deleted = false, CancellationToken ct = default)
    {
        var filter = deleted ? "&filter=" + Uri.EscapeDataString("""{"Field":"UserState","Value":"Inactive","Operator":"equals"}""") : "";
        var users = new List<CustomerUser>();
        string? path = $"/v1/customers/{customerId}/users?size=500{filter}", token = null;
        while (path is not null)
        {
            var page = await PageAsync<CustomerUser>(path, token, ct);
            if (!page.IsSuccess) return page.Error!;
            users.AddRange(page.Value!.Items);
            (path, token) = (page.Value.NextUri, page.Value.ContinuationToken);
        }
        return new(users, null);
    }

    public Task<PartnerCenterResult<CustomerUser>> GetUserAsync(Guid customerId, Guid userId, CancellationToken ct = default) =>
        SendAsync<CustomerUser>(HttpMethod.Get, $"/v1/customers/{customerId}/users/{userId}", null, ct);

    /// <summary>Updates, resets the password (with a password profile) or restores (state "active") a user.</summary>
    public Task<PartnerCenterResult<CustomerUser>> UpdateUserAsync(Guid customerId, Guid userId, CustomerUserChange change, CancellationToken ct = default)
    {
        var body = new Dictionary<string, object> { ["attributes"] = new { objectType = "CustomerUser" } };
        if (change.DisplayName is { } d) body["displayName"] = d;
        if (change.FirstName is { } f) body["firstName"] = f;
        if (change.LastName is { } l) body["lastName"] = l;
        if (change.UsageLocation is { } u) body["usageLocation"] = u;
        if (change.UserPrincipalName is { } upn) body["userPrincipalName"] = upn;
        if (change.State is { } s) body["state"] = s;
        if (change.PasswordProfile is { } p) body["passwordProfile"] = new { password = p.Password, forceChangePassword = p.ForceChangePassword };
        return SendAsync<CustomerUser>(HttpMethod.Patch, $"/v1/customers/{customerId}/users/{userId}", body, ct);
    }

    public async Task<PartnerCenterResult<bool>> DeleteUserAsync(Guid customerId, Guid userId, CancellationToken ct = default)
    {
        var result = await SendAsync<JsonElement>(HttpMethod.Delete, $"/v1/customers/{customerId}/users/{userId}", null, ct);
        return result.IsSuccess ? new PartnerCenterResult<bool>(true, null) : result.Error!;
    }

    public Task<PartnerCenterResult<IReadOnlyList<SubscribedSku>>> GetSubscribedSkusAsync(Guid customerId, CancellationToken ct = default) =>
        ItemsAsync<SubscribedSku>($"/v1/customers/{customerId}/subscribedskus", ct);

    /// <summary>The licenses a user holds now, as Partner Center counts them.</summary>
    public Task<PartnerCenterResult<IReadOnlyList<UserLicense>>> GetUserLicensesAsync(Guid customerId, Guid userId, CancellationToken ct = default) =>
        ItemsAsync<UserLicense>($"/v1/customers/{customerId}/users/{userId}/licenses", ct);

    /// <summary>Assigns and removes licenses by Graph SKU id (error 60012 when no seats are left).</summary>
    public Task<PartnerCenterResult<LicenseUpdateResult>> UpdateLicensesAsync(Guid customerId, Guid userId, IEnumerable<Guid> assign, IEnumerable<Guid> remove, CancellationToken ct = default) =>
        SendAsync<LicenseUpdateResult>(HttpMethod.Post, $"/v1/customers/{customerId}/users/{userId}/licenseupdates", new
        {
            licensesToAssign = assign.Select(s => new { skuId = s, excludedPlans = (string[]?)null }).ToArray(),
            licensesToRemove = remove.Select(s => s.ToString()).ToArray(),
            attributes = new { objectType = "LicenseUpdate" },
        }, ct);

    private async Task<PartnerCenterResult<IReadOnlyList<T>>> ItemsAsync<T>(string path, CancellationToken ct)
    {
        var result = await SendAsync<Collection<T>>(HttpMethod.Get, path, null, ct);
        return result.IsSuccess ? new PartnerCenterResult<IReadOnlyList<T>>(result.Value!.Items, null) : result.Error!;
    }

    private async Task<PartnerCenterResult<Page<T>>> PageAsync<T>(string path, string? continuationToken, CancellationToken ct)
    {
        var headers = continuationToken is null ? null : new Dictionary<string, string> { ["MS-ContinuationToken"] = continuationToken };
        var result = await SendAsync<Collection<T>>(HttpMethod.Get, path, null, ct, headers: headers);
        if (!result.IsSuccess) return result.Error!;
        var next = result.Value!.Links?.Next;
        var token = next?.Headers?.FirstOrDefault(h => h.Key.Equals("MS-ContinuationToken", StringComparison.OrdinalIgnoreCase))?.Value;
        var nextUri = next?.Uri is { } uri ? VersionRooted(uri) : null;
        return new(new Page<T>(result.Value.Items, token, nextUri), null);
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, object? body, CancellationToken ct, Guid? requestId = null)
    {
        var request = new HttpRequestMessage(method, path);
        var kind = PartnerCenterRoutes.TokenFor(path);
        var token = await tokens.GetTokenAsync(kind, options.Value.TenantId!, kind == TokenKind.AppUser ? PartnerCenterOptions.PartnerCenterUserScope : PartnerCenterOptions.PartnerCenterScope, ct);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("MS-RequestId", (requestId ?? Guid.NewGuid()).ToString());
        request.Headers.Add("MS-CorrelationId", Guid.NewGuid().ToString());
        request.Headers.Add("MS-Contract-Version", "v1");
        if (body is not null)
        {
            // A buffered body, so that the retry handler can send it again.
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, Json));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        return request;
    }

    private async Task<PartnerCenterResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct, Guid? requestId = null, IDictionary<string, string>? headers = null)
    {
        HttpRequestMessage request;
        try
        {
            request = await RequestAsync(method, path, body, ct, requestId);
        }
        catch (PartnerCenterSignInRequiredException e)
        {
            return SignInRequired(e);
        }
        using var _ = request;
        foreach (var (key, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(key, value);
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync<T>(response, ct);
    }

    /// <summary>No App+User grant works: an expected failure the broker mends by signing in on Connect Partner Center.</summary>
    private static PartnerCenterError SignInRequired(PartnerCenterSignInRequiredException e) => new(401, PartnerCenterSignInRequiredException.Code, e.Message, []);

    private static async Task<PartnerCenterResult<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            return await FailureAsync(response, ct);
        }
        var text = await response.Content.ReadAsStringAsync(ct);
        return new(text.Length == 0 ? default : JsonSerializer.Deserialize<T>(text, Json), null);
    }

    /// <summary>An expected refusal; a 5xx or 429 left after the retries is a transport failure and throws.</summary>
    private static async Task<PartnerCenterError> FailureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new HttpRequestException($"Partner Center answered {(int)response.StatusCode} after retries: {text}", null, response.StatusCode);
        }
        return ParseError((int)response.StatusCode, text);
    }

    internal static PartnerCenterError ParseError(int status, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var code = root.TryGetProperty("code", out var c) ? c.ToString() : null;
            var description = root.TryGetProperty("description", out var d) ? d.GetString()
                : root.TryGetProperty("message", out var m) ? m.GetString() : null;
            var data = root.TryGetProperty("data", out var items) && items.ValueKind == JsonValueKind.Array
                ? items.EnumerateArray().Select(i => i.ToString()).ToList()
                : [];
            return new PartnerCenterError(status, code, description ?? text, data);
        }
        catch (JsonException)
        {
            return new PartnerCenterError(status, null, text.Length == 0 ? $"HTTP {status}" : text, []);
        }
    }
}
