using System.Text.RegularExpressions;

namespace Skyport.Features.Catalog;

/// <summary>
/// Where an offer sits in the shop: a category (Microsoft 365, Exchange, Teams, Add-ons, ...) and a product group within
/// it (Business, Enterprise, Frontline, ...). Microsoft sends no category for new-commerce products (every one is of
/// <c>productType</c> <c>OnlineServicesNCE</c>; docs/microsoft-contract.md §9), so Skyport derives it from what Microsoft
/// does send: the SKU's <c>isAddon</c> and the product's title, by the table below. The families are Microsoft's own
/// plan families: the Business, Enterprise and Frontline plans of microsoft.com's Microsoft 365 plan pages, and the
/// stand-alone Exchange, Teams, Project, Visio, Power BI and Entra products (see Features/Catalog/README.md).
/// </summary>
public static partial class CatalogGrouping
{
    public const string Microsoft365 = "Microsoft 365";
    public const string AddOns = "Add-ons";
    public const string Standalone = "Standalone";

    private sealed record Rule(Regex Title, string Category, string ProductGroup);

    // First match wins; a title matching none is ("Other", Standalone).
    private static readonly Rule[] Rules =
    [
        new(Title(@"^Microsoft Teams\b.*\bEssentials\b"), "Teams", "Business"),
        new(Title(@"^Microsoft Teams\b"), "Teams", "Enterprise"),
        new(Title(@"^Exchange Online\b.*\bKiosk\b"), "Exchange", "Frontline"),
        new(Title(@"^Exchange Online\b"), "Exchange", Standalone),
        new(Title(@"^(Microsoft|Office) 365 F\d\b"), Microsoft365, "Frontline"),
        new(Title(@"^(Microsoft|Office) 365 (Business\b|Apps for business\b)"), Microsoft365, "Business"),
        new(Title(@"^(Microsoft|Office) 365 (E\d\b|Apps for enterprise\b)"), Microsoft365, "Enterprise"),
        new(Title(@"\b(Project|Visio)\b"), "Project and Visio", Standalone),
        new(Title(@"^Power BI\b"), "Power BI", Standalone),
        new(Title(@"\b(Entra|Defender|Intune)\b"), "Security and identity", Standalone),
    ];

    private static readonly Rule[] AddOnGroups =
    [
        new(Title(@"\bTeams\b"), AddOns, "Teams"),
        new(Title(@"\bExchange\b"), AddOns, "Exchange"),
        new(Title(@"\b(Defender|Entra)\b"), AddOns, "Security"),
        new(Title(@"\bCopilot\b"), AddOns, "Copilot"),
    ];

    /// <param name="title">The product's (or SKU's) title as Partner Center sends it.</param>
    /// <param name="isAddOn">The SKU's <c>dynamicAttributes.isAddon</c>.</param>
    public static (string Category, string ProductGroup) Classify(string title, bool isAddOn)
    {
        var match = (isAddOn ? AddOnGroups : Rules).FirstOrDefault(r => r.Title.IsMatch(title.Trim()));
        return match is not null ? (match.Category, match.ProductGroup)
            : isAddOn ? (AddOns, "Other add-ons")
            : ("Other", Standalone);
    }

    private static Regex Title(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
