using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Web;

/// <summary>
/// Skyport on a SQLite file with the demo data and one furnished customer under Fabrikam IT, made before any hostile
/// request (which may change the price lists, the catalog's visibility, ...), and the generators that use their ids.
/// </summary>
public sealed class HostileSkyport : SqliteSkyport
{
    public HostileWorld World { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var customer = await FurnishedCustomer.CreateAsync(this);
        var broker = await Known.BrokerIdAsync(this);
        var reseller = await Known.IdOfAsync(this, "Fabrikam IT");
        var northwind = await Known.IdOfAsync(this, "Northwind Traders");
        World = new HostileWorld(customer, broker, reseller, new Hostile([.. customer.Ids, broker, reseller, northwind]));
    }
}
