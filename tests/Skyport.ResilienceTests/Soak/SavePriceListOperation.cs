using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

/// <summary>Saves the customer's own price of Business Basic (it touches no Partner Center call, but billing reads it).</summary>
public sealed class SavePriceListOperation : SoakOperation
{
    public override string Name => "save price list";

    public override bool CanRun(SoakCustomer customer) => true;

    public override async Task RunAsync(SoakClient client, SoakCustomer customer)
    {
        var unitPrice = 6.50m + client.Random.Next(0, 200) / 100m;
        var answer = await client.SendAsync(Name, ApiRequest.Put($"/api/v1/customers/{customer.Id}/price-list", new
        {
            items = new[] { new { offerId = Offers.BusinessBasic, termDuration = "P1M", billingFrequency = "Monthly", unitPrice, effectiveFrom = "2020-01-01" } },
        }));
        if (answer is { Status: 200 })
        {
            customer.SavedPrice = unitPrice;
        }
    }
}
