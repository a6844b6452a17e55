namespace Skyport.PartnerCenterEmulator.Catalog;

/// <summary>
/// Which SKU may be upgraded to which (transition eligibilities): up a family, never down or sideways. Microsoft
/// publishes these paths only as a spreadsheet; the emulator's are the usual ones (DIFFERENCES.md).
/// </summary>
public static class UpgradePaths
{
    private const string BusinessBasic = "CFQ7TTC0LH18:0001", BusinessStandard = "CFQ7TTC0LDPB:0001", BusinessPremium = "CFQ7TTC0LCHC:0002";
    private const string O365E1 = "CFQ7TTC0LF8Q:0001", O365E3 = "CFQ7TTC0LF8R:0001", O365E5 = "CFQ7TTC0LF8S:0001";
    private const string M365E3 = "CFQ7TTC0LFLX:0001", M365E5 = "CFQ7TTC0LFLZ:0002";
    private const string ExchangeKiosk = "CFQ7TTC0LH0L:0001", ExchangePlan1 = "CFQ7TTC0LH16:0001", ExchangePlan2 = "CFQ7TTC0LH1P:0001";
    private const string F1 = "CFQ7TTC0MBMD:0002", F3 = "CFQ7TTC0LH05:0001";
    private const string AppsForBusiness = "CFQ7TTC0LH1G:0001", AppsForEnterprise = "CFQ7TTC0LGZT:0001";

    private static readonly Dictionary<string, string[]> Targets = new(StringComparer.OrdinalIgnoreCase)
    {
        [BusinessBasic] = [BusinessStandard, BusinessPremium, O365E3, M365E3],
        [BusinessStandard] = [BusinessPremium, O365E3, M365E3],
        [BusinessPremium] = [M365E3, M365E5],
        [O365E1] = [O365E3, O365E5, M365E3, M365E5],
        [O365E3] = [O365E5, M365E3, M365E5],
        [O365E5] = [M365E5],
        [M365E3] = [M365E5],
        [ExchangeKiosk] = [ExchangePlan1, ExchangePlan2],
        [ExchangePlan1] = [ExchangePlan2],
        [F1] = [F3],
        [AppsForBusiness] = [AppsForEnterprise, BusinessStandard],
    };

    /// <summary>The SKUs a subscription of <paramref name="item"/> may be upgraded to, in the order listed.</summary>
    public static IReadOnlyList<CatalogItem> From(CatalogItem item) =>
        Targets.TryGetValue(item.ItemCode, out var codes)
            ? codes.Select(c => CatalogData.Items.First(i => i.ItemCode.Equals(c, StringComparison.OrdinalIgnoreCase))).ToList()
            : [];

    public static bool Allows(CatalogItem from, CatalogItem to) => From(from).Any(t => t.ItemCode == to.ItemCode);
}
