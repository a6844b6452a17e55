using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Skyport.Benchmarks;

/// <summary>
/// A load script, not a BenchmarkDotNet benchmark: it drives a running Skyport and its emulator over HTTP and times
/// (1) the initial sync of a tenant that already has many users, (2) the delay from a change in Partner Center (a
/// Graph PATCH) to the change being visible in Skyport's users API.
/// </summary>
public static class UserSyncLoad
{
    public static async Task<int> RunAsync(string skyport, string emulator, string apiKey, int users, int changes)
    {
        using var api = new HttpClient { BaseAddress = new Uri(skyport), Timeout = TimeSpan.FromMinutes(5) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var control = new HttpClient { BaseAddress = new Uri(emulator), Timeout = TimeSpan.FromMinutes(5) };

        // An existing tenant with many users, linked to a new customer: Skyport's first sync reads them all.
        var prefix = "bench" + Guid.NewGuid().ToString("N")[..10];
        var domain = $"{prefix}.onmicrosoft.com";
        (await control.PostAsJsonAsync("/_emulator/tenants", new { domain, companyName = "Bench Ltd" })).EnsureSuccessStatusCode();
        var tenantId = JsonNode.Parse(await control.GetStringAsync("/_emulator/state"))!["tenants"]!.AsArray()
            .Single(t => t!["domain"]!.GetValue<string>() == domain)!["id"]!.GetValue<Guid>();
        var made = Stopwatch.StartNew();
        var bulk = await control.PostAsJsonAsync($"/_emulator/tenants/{tenantId}/users/bulk", new { count = users, prefix = "user", usageLocation = "DE" });
        if (!bulk.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating {users} users answered {(int)bulk.StatusCode}: {await bulk.Content.ReadAsStringAsync()}");
        }
        Console.WriteLine($"made {users:N0} users in the emulator in {made.Elapsed.TotalSeconds:F1} s");

        var customer = await CreateCustomerAsync(api, prefix);
        var expected = JsonNode.Parse(await control.GetStringAsync("/_emulator/state"))!["tenants"]!.AsArray()
            .Single(t => t!["id"]!.GetValue<Guid>() == tenantId)!["users"]!.AsArray().Count;
        // The domain belongs to an existing tenant: Skyport asks for a reseller relationship, the tenant's administrator
        // accepts it, and asking again links the tenant (as "Check the relationship again" does).
        await CustomerAdminApprovesAtOnceAsync(control);
        var pending = await api.PostAsJsonAsync($"/api/v1/customers/{customer}/o365", AddServiceBody(prefix));
        if (pending.StatusCode != HttpStatusCode.Conflict || !(await pending.Content.ReadAsStringAsync()).Contains("relationshipRequestUrl"))
        {
            throw new InvalidOperationException($"Expected a pending reseller relationship, got {(int)pending.StatusCode}: {await pending.Content.ReadAsStringAsync()}");
        }
        (await control.PostAsync($"/_emulator/tenants/{domain}/relationship", null)).EnsureSuccessStatusCode();
        var sync = Stopwatch.StartNew();
        var linked = await api.PostAsJsonAsync($"/api/v1/customers/{customer}/o365", AddServiceBody(prefix));
        linked.EnsureSuccessStatusCode();
        TimeSpan? firstListed = null;
        int listed;
        while ((listed = await TotalAsync(api, customer, null)) < expected)
        {
            if (listed > 0) firstListed ??= sync.Elapsed;
            await Task.Delay(50);
        }
        Console.WriteLine($"initial sync of {expected:N0} users: {sync.Elapsed.TotalSeconds:F2} s (first users listed after {firstListed?.TotalSeconds ?? 0:F2} s)");

        var token = await TokenAsync(control, tenantId);
        using var graph = new HttpClient { BaseAddress = new Uri(emulator) };
        graph.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var userIds = JsonNode.Parse(await graph.GetStringAsync("/graph/v1.0/users?$top=999&$select=id"))!["value"]!.AsArray().Select(u => u!["id"]!.GetValue<string>()).ToList();
        var delays = new List<double>();
        for (var i = 0; i < changes; i++)
        {
            var name = $"Changed {i:D3} {Guid.NewGuid():N}";
            var clock = Stopwatch.StartNew();
            using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/graph/v1.0/users/{userIds[i % userIds.Count]}") { Content = JsonContent.Create(new { displayName = name }) };
            (await graph.SendAsync(patch)).EnsureSuccessStatusCode();
            while (await TotalAsync(api, customer, name) == 0)
            {
                await Task.Delay(20);
            }
            delays.Add(clock.Elapsed.TotalMilliseconds);
        }
        delays.Sort();
        Console.WriteLine($"change to appearance over {changes} changes: median {Percentile(delays, 0.5):F0} ms, p99 {Percentile(delays, 0.99):F0} ms, max {delays[^1]:F0} ms");
        return 0;
    }

    /// <summary>The body that adds the O365 service: the customer's contact accepts the Microsoft Customer Agreement.</summary>
    public static object AddServiceBody(string prefix) => new { domainPrefix = prefix, microsoftCustomerAgreement = new { accepted = true } };

    /// <summary>The emulator plays the customer's admin approving Skyport's GDAP request as soon as it is made.</summary>
    public static async Task CustomerAdminApprovesAtOnceAsync(HttpClient control) =>
        (await control.PutAsJsonAsync("/_emulator/settings", new { gdapApproveAfterSeconds = 0 })).EnsureSuccessStatusCode();

    /// <summary>A new customer under the first reseller, with a complete address (onboarding needs one).</summary>
    public static async Task<Guid> CreateCustomerAsync(HttpClient api, string prefix)
    {
        var resellers = JsonNode.Parse(await api.GetStringAsync("/api/v1/organizations?pageSize=500"))!["items"]!.AsArray();
        var reseller = resellers.First(o => o!["kind"]!.GetValue<string>() == "reseller")!["id"]!.GetValue<Guid>();
        var created = await api.PostAsJsonAsync("/api/v1/organizations", new
        {
            name = $"Bench {prefix}",
            kind = "customer",
            parentId = reseller,
            properties = new
            {
                companyName = $"Bench {prefix}",
                address = new { line1 = "1 Bench Street", city = "Berlin", postalCode = "10115", country = "DE" },
                contact = new { firstName = "Bench", lastName = "Mark", email = "bench@bench.example" },
            },
        });
        created.EnsureSuccessStatusCode();
        return JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
    }

    private static async Task<int> TotalAsync(HttpClient api, Guid customer, string? search)
    {
        var url = $"/api/v1/customers/{customer}/o365/users?pageSize=1" + (search is null ? "" : $"&search={Uri.EscapeDataString(search)}");
        return JsonNode.Parse(await api.GetStringAsync(url))!["total"]!.GetValue<int>();
    }

    private static async Task<string> TokenAsync(HttpClient control, Guid tenantId)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "skyport",
            ["client_secret"] = "skyport-emulator-secret", // the embedded emulator accepts Skyport's own credentials
            ["scope"] = "https://graph.microsoft.com/.default",
        });
        var response = await control.PostAsync($"/{tenantId}/oauth2/v2.0/token", form);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
