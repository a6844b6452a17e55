using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Skyport.Benchmarks;

/// <summary>
/// A load script against a running Skyport whose embedded emulator enforces Partner Center's throttling
/// (<c>PartnerCenter__EmulatorThrottling=true</c>): one subscription assigned to N users in one "Subscribe", timed next
/// to the least time Partner Center's limit allows for the calls it needs (500 a minute per customer).
/// </summary>
public static class LicenseAssignLoad
{
    private const int CustomerRequestsPerMinute = 500;
    private const string Office365E3 = "CFQ7TTC0LF8R:0001:CFQ7TTC0KCSV";

    public static async Task<int> RunAsync(string skyport, string emulator, string apiKey, int users)
    {
        using var api = new HttpClient { BaseAddress = new Uri(skyport), Timeout = TimeSpan.FromMinutes(10) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var control = new HttpClient { BaseAddress = new Uri(emulator), Timeout = TimeSpan.FromMinutes(5) };

        (await api.PostAsync("/api/v1/catalog/import", null)).EnsureSuccessStatusCode();
        var prefix = "lic" + Guid.NewGuid().ToString("N")[..10];
        var customer = await UserSyncLoad.CreateCustomerAsync(api, prefix);
        await UserSyncLoad.CustomerAdminApprovesAtOnceAsync(control);
        var service = await api.PostAsJsonAsync($"/api/v1/customers/{customer}/o365", UserSyncLoad.AddServiceBody(prefix));
        service.EnsureSuccessStatusCode();
        var tenantId = JsonNode.Parse(await service.Content.ReadAsStringAsync())!["tenantId"]!.GetValue<Guid>();
        var bought = await api.PostAsJsonAsync($"/api/v1/customers/{customer}/o365/subscriptions", new { offerId = Office365E3, quantity = users });
        bought.EnsureSuccessStatusCode();
        var subscription = JsonNode.Parse(await bought.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
        (await control.PostAsJsonAsync($"/_emulator/tenants/{tenantId}/users/bulk", new { count = users, prefix = "user", usageLocation = "DE" })).EnsureSuccessStatusCode();

        var ids = new List<Guid>();
        while (ids.Count < users)
        {
            await Task.Delay(200);
            ids.Clear();
            for (var page = 1; ; page++)
            {
                var items = JsonNode.Parse(await api.GetStringAsync($"/api/v1/customers/{customer}/o365/users?search=user&pageSize=500&page={page}"))!["items"]!.AsArray();
                ids.AddRange(items.Select(u => u!["id"]!.GetValue<Guid>()));
                if (items.Count < 500) break;
            }
        }
        Console.WriteLine($"{users:N0} users synced; waiting a minute so that Partner Center's throttling window starts with the first call");
        await Task.Delay(TimeSpan.FromSeconds(61));

        // One read of the free licenses, then one license update per user.
        var calls = 1 + users;
        var least = TimeSpan.FromMinutes((calls + CustomerRequestsPerMinute - 1) / CustomerRequestsPerMinute - 1);
        var clock = Stopwatch.StartNew();
        var response = await api.PostAsJsonAsync($"/api/v1/customers/{customer}/o365/users/subscribe", new { userIds = ids, subscriptionIds = new[] { subscription } });
        var accepted = clock.Elapsed;
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Subscribe answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        // The job goes on after the answer: follow it until it is finished.
        var location = response.Headers.Location!.ToString();
        JsonNode job;
        while ((job = JsonNode.Parse(await api.GetStringAsync(location))!)["state"]!.GetValue<string>() is "queued" or "running")
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var elapsed = clock.Elapsed;
        Console.WriteLine($"Subscribe answered 202 after {accepted.TotalMilliseconds:F0} ms; the job {job["state"]}");
        var results = job["results"]!.AsArray();
        var ok = results.Count(r => r!["ok"]!.GetValue<bool>());
        var consumed = JsonNode.Parse(await api.GetStringAsync($"/api/v1/customers/{customer}/o365/subscriptions/{subscription}"))!["consumedQuantity"]!.GetValue<int>();
        Console.WriteLine($"Subscribe for {users:N0} users: {elapsed.TotalSeconds:F1} s, {ok:N0} ok, consumed units {consumed:N0}");
        Console.WriteLine($"Partner Center calls: {calls:N0}; least time the throttling allows: {least.TotalSeconds:F0} s " +
            $"({CustomerRequestsPerMinute} a minute, a window opening with its first call); ratio {(least.TotalSeconds > 0 ? elapsed / least : double.NaN):F2}");
        return ok == users ? 0 : 1;
    }
}
