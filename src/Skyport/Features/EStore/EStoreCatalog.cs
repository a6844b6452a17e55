namespace Skyport.Features.EStore;

/// <summary>A service a customer can add from the E-store.</summary>
public sealed record StoreService(string Key, string Name, string Publisher, string Summary, IReadOnlyList<string> Highlights);

/// <summary>The services on offer. The E-store page renders this list, so a new service is one more entry and its add page.</summary>
public static class EStoreCatalog
{
    public const string O365CspDirect = "o365-csp-direct";

    public static readonly IReadOnlyList<StoreService> Services =
    [
        new(O365CspDirect, "O365 CSP Direct", "Microsoft",
            "A Microsoft 365 tenant of your own, with its licenses bought through your reseller.",
            [
                "A new <prefix>.onmicrosoft.com tenant with an administrator",
                "Microsoft 365, Exchange, Teams and more, billed monthly or yearly",
                "Users and licenses managed here, kept in step with Microsoft",
            ]),
    ];

    public static StoreService? Find(string key) => Services.FirstOrDefault(s => s.Key == key);
}
