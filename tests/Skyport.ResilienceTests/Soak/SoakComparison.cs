using System.Text.Json.Nodes;
using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

/// <summary>
/// Compares, customer by customer, Skyport's API view with Partner Center's state (<c>/_emulator/state</c>) and with what the
/// clients were told: tenants, subscriptions (quantity, status), users and their licenses, nothing held twice.
/// </summary>
public sealed class SoakComparison(SkyportApi api, PartnerCenterState state)
{
    private readonly SoakFindings _findings = new();

    public static async Task<SoakFindings> RunAsync(SkyportApi api, EmulatorProcess emulator, IEnumerable<SoakCustomer> customers)
    {
        var comparison = new SoakComparison(api, await emulator.StateAsync());
        foreach (var customer in customers)
        {
            await comparison.CustomerAsync(customer);
        }
        return comparison._findings;
    }

    private async Task CustomerAsync(SoakCustomer customer)
    {
        var tenants = state.WithDomain(customer.Domain);
        if (tenants.Count > 1)
        {
            _findings.Duplicates.Add($"{tenants.Count} tenants {customer.Domain} in Partner Center");
        }
        var service = await api.Client.SendUntilFinalAsync(ApiRequest.Get($"/api/v1/customers/{customer.Id}/o365"), TimeSpan.FromSeconds(30));
        var active = service.Status == 200 && service.Json["status"]?.GetValue<string>() == "active" ? service.Json["tenantId"]?.GetValue<Guid>() : null;
        if (active is null)
        {
            if (customer.TenantId is not null)
            {
                _findings.Mismatches.Add($"{customer.Domain}: the client was told tenant {customer.TenantId} was made, Skyport shows {service}");
            }
            return;
        }
        if (tenants.Count == 0 || tenants.All(t => t.Id != active))
        {
            _findings.Mismatches.Add($"{customer.Domain}: Skyport's tenant {active} is not Partner Center's ({string.Join(", ", tenants.Select(t => t.Id))})");
            return;
        }
        if (customer.TenantId is { } told && told != active)
        {
            _findings.Mismatches.Add($"{customer.Domain}: the client was told tenant {told}, Skyport has {active}");
        }
        var pc = state.Tenant(active.Value);
        var subscriptions = await api.SubscriptionsAsync(customer.Id);
        Subscriptions(customer, pc, subscriptions);
        await UsersAsync(customer, pc, subscriptions);
        await PriceListAsync(customer);
    }

    private void Subscriptions(SoakCustomer customer, PcTenant pc, JsonArray skyport)
    {
        var ours = skyport.ToDictionary(s => s!["id"]!.GetValue<Guid>(), s => s!);
        // Each purchase has a friendly name of its own; add-ons take their offer's name, so they are counted per base instead.
        foreach (var named in pc.Subscriptions.Where(s => s.ParentSubscriptionId is null && s.FriendlyName is not null).GroupBy(s => s.FriendlyName).Where(g => g.Count() > 1))
        {
            _findings.Duplicates.Add($"{customer.Domain}: {named.Count()} subscriptions named {named.Key} in Partner Center for one purchase");
        }
        if (pc.Orders.Count > pc.Subscriptions.Count)
        {
            _findings.Duplicates.Add($"{customer.Domain}: {pc.Orders.Count} orders for {pc.Subscriptions.Count} subscriptions in Partner Center");
        }
        foreach (var s in pc.Subscriptions)
        {
            if (!ours.TryGetValue(s.Id, out var mine))
            {
                _findings.Mismatches.Add($"{customer.Domain}: Partner Center's subscription {s.Id} ({s.FriendlyName}, {s.Quantity}, {s.Status}) is not in Skyport");
                continue;
            }
            var (quantity, status) = (mine["quantity"]!.GetValue<int>(), mine["status"]!.GetValue<string>());
            if (quantity != s.Quantity || status != StatusOf(s))
            {
                _findings.Mismatches.Add($"{customer.Domain}: subscription {s.Id} is {quantity} {status} in Skyport, {s.Quantity} {StatusOf(s)} in Partner Center");
            }
        }
        foreach (var id in ours.Keys.Where(id => pc.Subscriptions.All(s => s.Id != id)))
        {
            _findings.Mismatches.Add($"{customer.Domain}: Skyport's subscription {id} is not in Partner Center");
        }
        foreach (var parent in customer.Subscriptions.Where(s => !s.AddOnsUncertain))
        {
            var addOns = pc.Subscriptions.Count(s => s.ParentSubscriptionId == parent.Id);
            if (addOns > parent.AddOnsBought)
            {
                _findings.Duplicates.Add($"{customer.Domain}: {addOns} add-ons of {parent.Id} in Partner Center for {parent.AddOnsBought} purchases");
            }
            else if (addOns < parent.AddOnsBought)
            {
                _findings.Mismatches.Add($"{customer.Domain}: {parent.AddOnsBought} add-ons of {parent.Id} bought, Partner Center has {addOns}");
            }
        }
        foreach (var told in customer.Subscriptions.Where(s => !s.Uncertain))
        {
            var held = pc.Subscriptions.SingleOrDefault(s => s.Id == told.Id);
            if (held is null || held.Quantity != told.Quantity || StatusOf(held) != told.Status)
            {
                _findings.Mismatches.Add($"{customer.Domain}: the client was told subscription {told.Id} is {told.Quantity} {told.Status}, Partner Center has {held?.Quantity} {(held is null ? "nothing" : StatusOf(held))}");
            }
        }
    }

    private async Task UsersAsync(SoakCustomer customer, PcTenant pc, JsonArray subscriptions)
    {
        var offerOf = subscriptions.ToDictionary(s => s!["id"]!.GetValue<Guid>(), s => s!["offerId"]!.GetValue<string>());
        var known = Offers.LicenseSku.Values.ToHashSet();
        var skyport = (await api.UsersAsync(customer.Id)).ToDictionary(u => u!["userPrincipalName"]!.GetValue<string>().ToLowerInvariant(), u => u!);
        foreach (var user in pc.ActiveUsers)
        {
            var upn = user.UserPrincipalName.ToLowerInvariant();
            if (!skyport.TryGetValue(upn, out var mine))
            {
                _findings.Mismatches.Add($"{customer.Domain}: Partner Center's user {upn} is not in Skyport");
                continue;
            }
            var theirs = user.Licenses.Where(known.Contains).ToHashSet();
            var ours = mine["subscriptionIds"]!.AsArray().Select(s => offerOf.GetValueOrDefault(s!.GetValue<Guid>()))
                .Where(o => o is not null && Offers.LicenseSku.ContainsKey(o)).Select(o => Offers.LicenseSku[o!]).ToHashSet();
            if (!theirs.SetEquals(ours))
            {
                _findings.Mismatches.Add($"{customer.Domain}: {upn} holds [{string.Join(", ", ours)}] in Skyport, [{string.Join(", ", theirs)}] in Partner Center");
            }
        }
        foreach (var upn in skyport.Keys.Where(upn => pc.ActiveUsers.All(u => u.UserPrincipalName.ToLowerInvariant() != upn)))
        {
            _findings.Mismatches.Add($"{customer.Domain}: Skyport's user {upn} is not in Partner Center");
        }
        foreach (var told in customer.Users)
        {
            var held = pc.ActiveUsers.Where(u => u.Id == told.Id).ToList();
            if (held.Count != 1)
            {
                _findings.Mismatches.Add($"{customer.Domain}: the client was told user {told.UserPrincipalName} was created; Partner Center has it {held.Count} times");
            }
            else if (!told.Uncertain && !held[0].Licenses.Where(known.Contains).ToHashSet().SetEquals(told.Licenses))
            {
                _findings.Mismatches.Add($"{customer.Domain}: the client was told {told.UserPrincipalName} holds [{string.Join(", ", told.Licenses)}], Partner Center has [{string.Join(", ", held[0].Licenses)}]");
            }
        }
    }

    private async Task PriceListAsync(SoakCustomer customer)
    {
        if (customer.SavedPrice is not { } saved)
        {
            return;
        }
        var list = await api.ExpectAsync(ApiRequest.Get($"/api/v1/customers/{customer.Id}/price-list"), 200);
        var price = list["items"]!.AsArray().Where(i => i!["offerId"]!.GetValue<string>() == Offers.BusinessBasic).Select(i => i!["unitPrice"]!.GetValue<decimal>()).ToList();
        if (price.Count != 1 || price[0] != saved)
        {
            _findings.Mismatches.Add($"{customer.Domain}: the client saved {saved} for Business Basic, Skyport has [{string.Join(", ", price)}]");
        }
    }

    private static string StatusOf(PcSubscription s) => s.Status.ToLowerInvariant() == "deleted" ? "cancelled" : s.Status.ToLowerInvariant();
}
