using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

/// <summary>
/// Cancel a base subscription within its 168 hours (the soak's subscriptions are all that young): one without add-ons whose
/// licenses no user holds, so that what users hold stays comparable.
/// </summary>
public sealed class CancelOperation : SoakOperation
{
    public override string Name => "cancel";

    public override bool CanRun(SoakCustomer customer) => Candidates(customer).Any();

    public override async Task RunAsync(SoakClient client, SoakCustomer customer)
    {
        var candidates = Candidates(customer).ToList();
        var subscription = candidates[client.Random.Next(candidates.Count)];
        var answer = await client.SendAsync(Name, SkyportApi.ChangeSubscription(customer.Id, subscription.Id, new { status = "cancelled" }));
        if (answer is null)
        {
            subscription.Uncertain = true;
        }
        else if (answer.Status == 200)
        {
            subscription.Status = "cancelled";
        }
    }

    private static IEnumerable<SoakSubscription> Candidates(SoakCustomer customer) =>
        customer.Users.Any(u => u.Uncertain)
            ? []
            : customer.Base("active").Where(s => s.AddOnsBought == 0 && !s.AddOnsUncertain
                && !customer.Users.Any(u => u.Licenses.Contains(Offers.LicenseSku[s.OfferId]))
                && !customer.Subscriptions.Any(other => other.Uncertain && other.ParentId == s.Id));
}
