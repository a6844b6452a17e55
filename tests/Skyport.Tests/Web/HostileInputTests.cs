using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Web;

/// <summary>
/// Random and malformed bodies, query strings and ids thrown at every API route, and random field values posted to
/// every form (with a valid antiforgery token). Never a 500; an API error is problem details; a 400 about fields names
/// them; a refused write stores nothing. The seed is fixed and the runs short; SKYPORT_HOSTILE_ITERATIONS and
/// SKYPORT_HOSTILE_SEED (a seed CsCheck printed, or "random") run more.
/// </summary>
public sealed class HostileInputTests(HostileSkyport app) : IClassFixture<HostileSkyport>
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>A sent request, kept to print a failing case.</summary>
    public sealed record Attempt(string Method, string Url, string Caller, string? ContentType, string? Body, string? IdempotencyKey, bool BodyIsObject)
    {
        public override string ToString() =>
            $"{Caller} {Method} {Cut(Url)} [{ContentType}] idempotency={IdempotencyKey} body={(Body is null ? "none" : Cut(Body))}";

        private static string Cut(string text) => text.Length > 400 ? text[..400] + $"… ({text.Length} chars)" : text;
    }

    [Fact]
    public async Task Every_api_route_answers_hostile_input_with_problem_details_and_stores_nothing_it_refuses()
    {
        var world = app.World;
        var callers = new Dictionary<string, HttpClient>
        {
            ["broker"] = app.Broker(),
            ["reseller"] = await app.As(DemoData.Reseller.Email),
            ["customer"] = await app.As(DemoData.Customer.Email),
        };
        var routes = Routes.Api(app);
        Assert.NotEmpty(routes);
        var csv = await app.Broker().GetStringAsync("/api/v1/price-lists/global/csv");

        var gen =
            from route in Gen.OneOf(routes.ToArray())
            from caller in Gen.OneOf(callers.Keys.ToArray())
            from path in Gen.Select(world.Hostile.Ids, Gen.Bool).Array[route.Pattern.Parameters.Count].Select(choices => PathValues(route, world, choices))
            from query in QueryOf(route, world.Hostile)
            from body in BodyOf(route, world.Hostile, csv)
            from key in Gen.Frequency((6, Gen.Const((string?)null)), (1, Gen.Guid.Select(g => (string?)g.ToString())), (1, Hostile.Strings.Select(s => (string?)s)))
            select new Attempt(route.Method, Routes.Fill(route.Pattern, path) + query, caller, body.ContentType, body.Text, key, body.IsObject);

        await gen.SampleAsync(async attempt =>
        {
            var before = await CountsAsync();
            using var response = await SendAsync(callers[attempt.Caller], attempt);
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"{status}: {text}");
            if (status >= 400)
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == ProblemJson, $"{status} without problem details: [{response.Content.Headers.ContentType}] {text}");
                var problem = JsonNode.Parse(text)!;
                Assert.Equal(status, problem["status"]?.GetValue<int>());
                if (status == 400 && attempt.BodyIsObject)
                {
                    Assert.True(problem["errors"] is JsonObject { Count: > 0 }, $"A 400 that names no field: {text}");
                }
                if (attempt.Method != "GET")
                {
                    Assert.Equal(before, await CountsAsync());
                }
            }
        }, seed: Hostile.Seed(ApiSeed), iter: Hostile.Iterations(800), threads: 1, print: a => a.ToString());
    }

    [Fact]
    public async Task A_body_field_of_the_wrong_type_is_named_in_the_400_and_nothing_is_created()
    {
        var before = await CountsAsync();
        var response = await app.Broker().PostAsync("/api/v1/organizations",
            new StringContent("{\"name\":\"Typed Ltd\",\"kind\":\"customer\",\"parentId\":\"not-a-guid\",\"properties\":{\"address\":{\"country\":7}}}", Encoding.UTF8, "application/json"));
        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["parentId"], problem!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_user_search_longer_than_any_user_finds_nobody()
    {
        var customer = await app.CustomerWithTenantAsync();
        var page = await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/o365/users?search={new string('x', 60_000)}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, page!["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{\"EventName\":\"\\ud800\",\"ResourceUri\":\"https://api.partnercenter.microsoft.com/v1/customers/x\"}")]
    [InlineData("{\"EventName\":\"subscription-updated\",\"ResourceUri\":\"https://host/customers/\\udfff\"}")]
    public void A_webhook_payload_with_a_lone_surrogate_is_refused_naming_the_body(string payload) =>
        Assert.Equal("$", Assert.Single(Skyport.Features.Subscriptions.PartnerCenterWebhookEvent.Parse(System.Text.Encoding.UTF8.GetBytes(payload)).Failure!.Errors!).Key);

    /// <summary>A page request: GET with its query, or a form POST with the antiforgery token and random field values.</summary>
    public sealed record PageAttempt(string Method, string Url, string? Form)
    {
        public override string ToString() => $"{Method} {Url} form={(Form is { Length: > 600 } f ? f[..600] + $"… ({f.Length} chars)" : Form)}";
    }

    [Fact]
    public async Task Every_form_and_page_answers_random_field_values_without_an_error_page_and_a_refused_form_stores_nothing()
    {
        var world = app.World;
        var browser = new Browser(app);
        await browser.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        var token = await browser.AntiforgeryTokenAsync();
        var pages = await Routes.PagesAsync(app);
        var targets = pages
            .SelectMany(page => page.PostHandlers().Select(h => (Page: page, Method: "POST", h.Name))
                .Concat(page.GetHandlers().Select(h => (Page: page, Method: "GET", h.Name))))
            .Where(t => t.Page.ToString() != "/account/logout") // signing the browser out ends the run, not a defect
            .ToArray();
        Assert.Contains(targets, t => t.Method == "POST");

        var gen =
            from known in Gen.OneOf(targets)
            from handler in Gen.Frequency((9, Gen.Const(known.Name)), (1, Gen.OneOf("Nonsense", "", "Get", "Post", "Delete", "Export")))
            let target = (known.Page, known.Method, Name: handler)
            from path in Gen.Select(world.Hostile.Ids, Gen.Bool).Array[target.Page.Pattern.Parameters.Count].Select(choices => PagePath(target.Page, world, choices))
            from fields in FieldsOf(target.Page, target.Method, world.Hostile)
            select Build(target.Page, target.Method, target.Name, path, fields, token);

        await gen.SampleAsync(async attempt =>
        {
            var before = await CountsAsync();
            using var response = attempt.Method == "GET"
                ? await browser.GetAsync(attempt.Url)
                : await browser.SendRawFormAsync(attempt.Url, attempt.Form!);
            var status = (int)response.StatusCode;
            var location = response.Headers.Location?.ToString() ?? "";
            Assert.True(status < 500 && !location.Contains("/status/5", StringComparison.Ordinal), $"{status} {location}");
            // ASP.NET Core's form reader refuses a NUL in a form ("The form value contains invalid characters") and antiforgery
            // answers 400 with the status page: a fair answer. Any other 400 means the token was refused, and the run proves nothing.
            var unreadableForm = attempt.Form?.Contains("%00", StringComparison.Ordinal) == true;
            Assert.False((status == 400 || location.Contains("/status/400", StringComparison.Ordinal)) && !unreadableForm, $"Refused as a bad request (the antiforgery token?): {status} {location}");
            if (attempt.Method == "POST" && status == 200 && (await response.Content.ReadAsStringAsync()).Contains("input-validation-error", StringComparison.Ordinal))
            {
                Assert.Equal(before, await CountsAsync());
            }
        }, seed: Hostile.Seed(ApiSeed), iter: Hostile.Iterations(500), threads: 1, print: a => a.ToString());
    }

    private static Func<string, string> PagePath(PageRoute page, HostileWorld world, (string Junk, bool Real)[] choices)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i < page.Pattern.Parameters.Count; i++)
        {
            var name = page.Pattern.Parameters[i].Name;
            values[name] = choices[i].Real ? world.RealFor(name) : Safe(choices[i].Junk).Replace("\0", "", StringComparison.Ordinal);
        }
        return name => values[name];
    }

    /// <summary>Form or query fields: every bound property (one level into a form model), each present or not, as URL-encoded text.</summary>
    private static Gen<string[]> FieldsOf(PageRoute page, string method, Hostile hostile)
    {
        var routeNames = page.Pattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fields = page.BoundProperties()
            .Where(p => method == "POST" || p.OnGet)
            .Where(p => !routeNames.Contains(p.Name))
            .SelectMany(p => Routes.IsSimple(p.Type) || ElementOf(p.Type) is not null
                ? [(p.Name, p.Type)]
                : p.Type.GetProperties().Where(q => q.CanWrite).Select(q => ($"{p.Name}.{q.Name}", q.PropertyType)))
            .ToArray();
        var raw = Gen.OneOf("%FF", "%ED%A0%80", "%C0%AF", "%", "%zz", "a%00b", "%E2%80%AE");
        var each = fields.Select(f =>
        {
            var value = Gen.Frequency((8, hostile.TextFor(ElementOf(f.Item2) ?? f.Item2).Select(v => Uri.EscapeDataString(Safe(v)))), (1, raw));
            var values = ElementOf(f.Item2) is not null ? value.Array[0, 4] : value.Array[1];
            var key = Uri.EscapeDataString(f.Item1);
            return Gen.Frequency((1, Gen.Const(Array.Empty<string>())), (5, values.Select(vs => vs.Select(v => $"{key}={v}").ToArray())));
        }).ToArray();
        return each.Aggregate(Gen.Const(Array.Empty<string>()), (all, next) => Gen.Select(all, next, (a, b) => (string[])[.. a, .. b]));
    }

    private static Type? ElementOf(Type type) =>
        type != typeof(string) && type.IsGenericType && type.GetGenericArguments() is [var element] && Routes.IsSimple(element) && Nullable.GetUnderlyingType(type) is null ? element : type.IsArray ? type.GetElementType() : null;

    private static PageAttempt Build(PageRoute page, string method, string? handler, Func<string, string> path, string[] fields, string token)
    {
        var url = Routes.Fill(page.Pattern, path);
        var query = new List<string>();
        if (!string.IsNullOrEmpty(handler)) query.Add($"handler={handler}");
        if (method == "GET") query.AddRange(fields);
        if (query.Count > 0) url += "?" + string.Join('&', query);
        return new PageAttempt(method, url, method == "POST" ? string.Join('&', fields.Append($"__RequestVerificationToken={Uri.EscapeDataString(token)}")) : null);
    }

    [Theory]
    [InlineData("/my-services/o365/{0}/subscriptions")]
    [InlineData("/my-services/o365/{0}/subscriptions?handler=Nonsense")]
    [InlineData("/billing")]
    public async Task A_post_to_a_page_without_a_handler_for_it_is_not_found(string url)
    {
        var customer = await app.CustomerWithTenantAsync();
        var browser = new Browser(app);
        await browser.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        var token = await browser.AntiforgeryTokenAsync();
        var target = string.Format(System.Globalization.CultureInfo.InvariantCulture, url, customer.Id);
        using var response = await browser.PostAsync(target, new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["SubscriptionIds"] = Guid.NewGuid().ToString() });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private const string ApiSeed = "0000000000001";

    private static Func<string, string> PathValues(ApiRoute route, HostileWorld world, (string Junk, bool Real)[] choices)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i < route.Pattern.Parameters.Count; i++)
        {
            var name = route.Pattern.Parameters[i].Name;
            // Half the time the real id the route expects, so that the request gets past the access check to its body.
            // NUL in a path is refused by the test server before Skyport sees it (over Kestrel: a bare 400, issue 11 item 6,
            // fixed and tested beside the security headers); every other junk goes through.
            values[name] = choices[i].Real ? world.RealFor(name) : Safe(choices[i].Junk).Replace("\0", "", StringComparison.Ordinal);
        }
        return name => values[name];
    }

    private static Gen<string> QueryOf(ApiRoute route, Hostile hostile)
    {
        var routeNames = route.Pattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var parameters = route.Handler?.GetParameters()
            .Where(p => Routes.IsSimple(p.ParameterType) && !routeNames.Contains(p.Name!))
            .ToArray() ?? [];
        var each = parameters.Select(p => Gen.Frequency(
            (1, Gen.Const("")),
            (3, hostile.TextFor(p.ParameterType).Select(v => $"{p.Name}={Uri.EscapeDataString(Safe(v))}")))).ToArray();
        var extra = Gen.Frequency((4, Gen.Const("")), (1, Gen.Select(Hostile.Strings, Hostile.Strings, (k, v) => $"{Uri.EscapeDataString(Safe(k))}={Uri.EscapeDataString(Safe(v))}")));
        return Gen.Select(each.Aggregate(Gen.Const(Array.Empty<string>()), (all, next) => Gen.Select(all, next, (a, b) => (string[])[.. a, b])), extra,
            (pairs, more) => pairs.Append(more).Where(p => p.Length > 0).ToArray() is { Length: > 0 } all ? "?" + string.Join('&', all) : "");
    }

    // A URL cannot carry a lone surrogate (it has no UTF-8 form); keep the rest of the text.
    private static string Safe(string text) => string.Concat(text.Where(c => !char.IsSurrogate(c)));

    private sealed record Body(string? ContentType, string? Text, bool IsObject);

    private static Gen<Body> BodyOf(ApiRoute route, Hostile hostile, string csv)
    {
        if (route.Method is "GET" or "DELETE")
        {
            return Gen.Const(new Body(null, null, false));
        }
        var junk = Gen.Frequency(
            (4, Hostile.Malformed.Select(t => new Body("application/json", t, false))),
            (1, Hostile.AnyJson.Select(t => new Body("text/plain", t, false))),
            (1, Gen.Const(new Body(null, null, false))));
        if (route.ReadsRawBody)
        {
            var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var mutated = Gen.Select(Gen.Int[0, lines.Length], Hostile.Strings.Array[0, 6], (keep, extra) =>
                string.Join('\n', lines.Take(keep).Concat(extra.Select((e, i) => i % 2 == 0 ? e : $"{lines[0].Split(',')[0]},{e},{e}"))));
            return Gen.Frequency((5, mutated.Select(t => new Body("text/csv", t, false))), (1, junk));
        }
        if (route.BodyType is { } type)
        {
            return Gen.Frequency((6, hostile.ObjectOf(type).Select(t => new Body("application/json", t, true))), (2, junk));
        }
        return junk;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Attempt attempt)
    {
        using var request = new HttpRequestMessage(new HttpMethod(attempt.Method), attempt.Url);
        if (attempt.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(attempt.Body));
            if (attempt.ContentType is not null)
            {
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(attempt.ContentType) { CharSet = "utf-8" };
            }
        }
        if (attempt.IdempotencyKey is { } key && Safe(key).All(c => c is >= ' ' and < '\u007f'))
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }
        return await client.SendAsync(request);
    }

    /// <summary>Rows a refused write must not add to (tables only requests change; the background sync and reconcile write elsewhere).</summary>
    private Task<string> CountsAsync() => app.InScopeAsync(async s =>
    {
        var db = s.GetRequiredService<SkyportDbContext>();
        var counts = new[]
        {
            await db.Organizations.IgnoreQueryFilters().CountAsync(),
            await db.Users.CountAsync(),
            await db.ApiKeys.IgnoreQueryFilters().CountAsync(),
            await db.Outbox.CountAsync(),
            await db.O365Services.IgnoreQueryFilters().CountAsync(),
            await db.O365Subscriptions.IgnoreQueryFilters().CountAsync(),
            await db.PriceListItems.IgnoreQueryFilters().CountAsync(),
            await db.DirectoryPeople.IgnoreQueryFilters().CountAsync(),
        };
        return string.Join(',', counts);
    });
}
