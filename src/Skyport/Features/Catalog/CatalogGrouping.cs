namespace Skyport.Features.Catalog;

/// <summary>
/// Where an offer sits in the shop: a category (Microsoft 365, Exchange, Teams, Add-ons, ...) and a product group
/// within it (Business, Enterprise, Frontline, ...), derived from Partner Center's product category and the SKU's title.
/// </summary>
public static class CatalogGrouping
{
    public const string Microsoft365 = "Microsoft 365";
    public const string AddOns = "Add-ons";

    public static (string Category, string ProductGroup) Classify(string? sourceCategory, string title, bool isAddOn)
    {
        var source = sourceCategory?.Trim() ?? "";
        if (isAddOn || source.Equals(AddOns, StringComparison.OrdinalIgnoreCase))
        {
            return (AddOns, AddOnGroup(title));
        }
        return source switch
        {
            "Business" or "Enterprise" or "Frontline" => (Microsoft365, source),
            "Exchange" => ("Exchange", Has(title, "Kiosk") ? "Frontline" : "Standalone"),
            "Teams" => ("Teams", Has(title, "Essentials") ? "Business" : "Enterprise"),
            "" => ("Other", FrontlineOr(title, "Standalone")),
            _ => (source, FrontlineOr(title, "Standalone")),
        };
    }

    private static string AddOnGroup(string title) =>
        Has(title, "Teams") ? "Teams"
        : Has(title, "Exchange") ? "Exchange"
        : Has(title, "Defender") || Has(title, "Entra") ? "Security"
        : Has(title, "Copilot") ? "Copilot"
        : "Other add-ons";

    private static string FrontlineOr(string title, string otherwise) =>
        Has(title, " F1") || Has(title, " F3") || Has(title, "Kiosk") ? "Frontline" : otherwise;

    private static bool Has(string title, string word) => title.Contains(word, StringComparison.OrdinalIgnoreCase);
}
