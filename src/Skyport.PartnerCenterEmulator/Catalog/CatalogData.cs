namespace Skyport.PartnerCenterEmulator.Catalog;

/// <summary>One NCE SKU with its single availability, Graph identity and Microsoft's cost prices.</summary>
public sealed record CatalogItem(
    string ProductId,
    string SkuId,
    string AvailabilityId,
    string Title,
    string Description,
    string SkuPartNumber,
    Guid GraphSkuId,
    decimal UsdAnnual,
    decimal UsdMonthly,
    decimal? EurAnnualKnown,
    int MaximumQuantity,
    bool IsAddOn,
    string[] Prerequisites)
{
    /// <summary><c>productId:skuId</c>, the form add-ons' <c>prerequisiteSkus</c> and renewal options name a SKU by.</summary>
    public string ItemCode => $"{ProductId}:{SkuId}";
    public string CatalogItemId => $"{ProductId}:{SkuId}:{AvailabilityId}";
}

/// <summary>A term offered on every availability: duration and billing cycle, with the id Microsoft uses for it.</summary>
public sealed record CatalogTerm(string Id, string Duration, string BillingCycle, string Description);

/// <summary>
/// The Microsoft 365 catalog the emulator sells. Ids, Graph skuId/skuPartNumber pairs, US prices and add-on
/// prerequisites come from the catalog reference; see DIFFERENCES.md for values that are not Microsoft's own.
/// </summary>
public static class CatalogData
{
    public const string NceProductType = "OnlineServicesNCE";

    /// <summary>Ratio of Microsoft's EUR to USD list prices (Business Basic/Standard/Premium, 2026), used where no EUR price is known.</summary>
    public const decimal EurPerUsd = 0.8664m;

    public static readonly CatalogTerm[] Terms =
    [
        new("bnbbihhxpsbo", "P1M", "Monthly", "One-Month commitment for monthly billing"),
        new("z1gqawhfdzfo", "P1Y", "Monthly", "One-Year commitment for monthly/yearly billing"),
        new("u7f64ks66cqy", "P1Y", "Annual", "One-Year commitment for monthly/yearly billing"),
    ];

    private static readonly string[] TeamsBases =
    [
        "CFQ7TTC0LH18:0001", "CFQ7TTC0LDPB:0001", "CFQ7TTC0LCHC:0002", "CFQ7TTC0LF8Q:0001", "CFQ7TTC0LF8R:0001",
        "CFQ7TTC0LFLX:0001", "CFQ7TTC0MBMD:0002", "CFQ7TTC0LH05:0001", "CFQ7TTC0JN4R:0002", "CFQ7TTC0MZJF:0009",
    ];

    public static readonly CatalogItem[] Items =
    [
        new("CFQ7TTC0LH18", "0001", "CFQ7TTC0K971", "Microsoft 365 Business Basic", "Web and mobile Office apps, 50 GB Exchange Online mailbox, 1 TB OneDrive, SharePoint and Teams; no desktop apps.", "O365_BUSINESS_ESSENTIALS", G("3b555118-da6a-4418-894f-7df1e2096870"), 6.00m, 7.20m, 5.20m, 300, false, []),
        new("CFQ7TTC0LDPB", "0001", "CFQ7TTC0LGNT", "Microsoft 365 Business Standard", "Business Basic plus the desktop Microsoft 365 Apps, webinars and Bookings.", "O365_BUSINESS_PREMIUM", G("f245ecc8-75af-4f8e-b61f-27d8114de5f3"), 12.50m, 15.00m, 10.83m, 300, false, []),
        new("CFQ7TTC0LCHC", "0002", "CFQ7TTC0KFFN", "Microsoft 365 Business Premium", "Business Standard plus Intune, Entra ID P1, Defender for Office 365 P1, Defender for Business, Exchange Online Archiving and Purview information protection.", "SPB", G("cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46"), 22.00m, 26.40m, 19.06m, 300, false, []),
        new("CFQ7TTC0LH1G", "0001", "CFQ7TTC0EM01", "Microsoft 365 Apps for business", "Desktop, web and mobile Word/Excel/PowerPoint/Outlook plus 1 TB OneDrive; no Exchange mailbox or Teams; max 300 users.", "O365_BUSINESS", G("cdd28e44-67e3-425e-be4c-737fab2899d3"), 8.25m, 9.90m, null, 300, false, []),
        new("CFQ7TTC0LGZT", "0001", "CFQ7TTC0EM02", "Microsoft 365 Apps for enterprise", "Desktop Office apps with enterprise deployment and management (incl. shared-computer activation) plus 1 TB OneDrive; no mailbox.", "OFFICESUBSCRIPTION", G("c2273bd0-dff7-4215-9ef5-2c7bcfb06425"), 12.00m, 14.40m, null, 10000, false, []),
        new("CFQ7TTC0LF8Q", "0001", "CFQ7TTC0KQDF", "Office 365 E1", "Web Office apps, 50 GB mailbox, OneDrive, SharePoint and Teams; no desktop apps.", "STANDARDPACK", G("18181a46-0d4e-45cd-891e-60aabd171b4e"), 10.00m, 12.00m, null, 10000, false, []),
        new("CFQ7TTC0LF8R", "0001", "CFQ7TTC0KCSV", "Office 365 E3", "E1 plus the desktop Microsoft 365 Apps, a 100 GB mailbox with archiving, and core DLP/eDiscovery.", "ENTERPRISEPACK", G("6fd2c87f-b296-42f0-b197-1e91e994b900"), 23.00m, 27.60m, null, 10000, false, []),
        new("CFQ7TTC0LF8S", "0001", "CFQ7TTC0K9G9", "Office 365 E5", "E3 plus Defender for Office 365 P2, Teams Phone Standard, Audio Conferencing, Power BI Pro and advanced compliance.", "ENTERPRISEPREMIUM", G("c7df2760-2c81-4ef7-b578-5b5392b571df"), 38.00m, 45.60m, null, 10000, false, []),
        new("CFQ7TTC0LFLX", "0001", "CFQ7TTC0LB30", "Microsoft 365 E3", "Office 365 E3 plus Windows Enterprise E3, Intune and Entra ID P1.", "SPE_E3", G("05e9a617-0261-4cee-bb44-138d3ef5d965"), 36.00m, 43.20m, null, 10000, false, []),
        new("CFQ7TTC0LFLZ", "0002", "CFQ7TTC0K4TS", "Microsoft 365 E5", "M365 E3 plus the Defender suite (Endpoint P2, Office P2, Identity), Entra ID P2, Purview advanced compliance, Teams Phone, Audio Conferencing and Power BI Pro.", "SPE_E5", G("06ebc4ee-1bb5-47dd-8120-11324bc54e06"), 57.00m, 68.40m, null, 10000, false, []),
        new("CFQ7TTC0MBMD", "0002", "CFQ7TTC0EM03", "Microsoft 365 F1", "Frontline licence: Teams, SharePoint, OneDrive (2 GB), Entra ID P1 and Intune; no Exchange mailbox and no Office apps.", "M365_F1_COMM", G("50f60901-3181-4b75-8a2c-4c8e4c1d5a72"), 2.25m, 2.70m, null, 10000, false, []),
        new("CFQ7TTC0LH05", "0001", "CFQ7TTC0EM04", "Microsoft 365 F3", "Frontline licence: web/mobile Office apps, 2 GB Exchange (Kiosk) mailbox, Teams, Windows Enterprise E3, Intune and Entra ID P1.", "SPE_F1", G("66b55226-6b4f-492c-910c-a3b7a3c9d993"), 8.00m, 9.60m, null, 10000, false, []),
        new("CFQ7TTC0LH16", "0001", "CFQ7TTC0EM05", "Exchange Online (Plan 1)", "Hosted Exchange mailbox (50 GB) with Outlook on the web, calendar and contacts.", "EXCHANGESTANDARD", G("4b9405b0-7788-4568-add1-99614e613b69"), 4.00m, 4.80m, 3.50m, 10000, false, []),
        new("CFQ7TTC0LH1P", "0001", "CFQ7TTC0RFD2", "Exchange Online (Plan 2)", "100 GB mailbox plus auto-expanding archive, DLP and hosted voicemail.", "EXCHANGEENTERPRISE", G("19ec0d23-8335-4cbd-94ac-6050e30712fa"), 8.00m, 9.60m, null, 10000, false, []),
        new("CFQ7TTC0LH0L", "0001", "CFQ7TTC0EM06", "Exchange Online Kiosk", "2 GB frontline mailbox accessed via Outlook on the web, mobile or POP.", "EXCHANGEDESKLESS", G("80b2d799-d2ba-4d2a-8842-fb0d0f3a4b82"), 2.00m, 2.40m, null, 10000, false, []),
        new("CFQ7TTC0JN4R", "0002", "CFQ7TTC0EM07", "Microsoft Teams Essentials", "Standalone Teams for small businesses: meetings up to 300 people and 30 h, chat, file sharing and 10 GB cloud storage.", "TEAMS_ESSENTIALS_AAD", G("3ab6abff-666f-4424-bfb7-f0bc274ec7bc"), 4.00m, 4.80m, null, 300, false, []),
        new("CFQ7TTC0MZJF", "0009", "CFQ7TTC0EM08", "Microsoft Teams Enterprise", "Standalone Teams sold alongside the \"no Teams\" enterprise suites.", "Microsoft_Teams_Enterprise_New", G("7e74bd05-2c47-404e-829a-ba95c66fe8e5"), 5.25m, 6.30m, null, 10000, false, []),
        new("CFQ7TTC0HD32", "0002", "CFQ7TTC0Q5VM", "Visio Plan 2", "Visio desktop and web apps with the full diagram template and shape set.", "VISIOCLIENT", G("c5928f49-12ba-48f7-ada3-0d743a3601d5"), 15.00m, 18.00m, null, 10000, false, []),
        new("CFQ7TTC0HDB0", "0002", "CFQ7TTC0PZ7G", "Project Plan 3", "Project desktop client plus Project/Planner premium web features, roadmaps and resource management.", "PROJECTPROFESSIONAL", G("53818b1b-4a27-454b-8896-0dba576410e6"), 30.00m, 36.00m, null, 10000, false, []),
        new("CFQ7TTC0LHSF", "0001", "CFQ7TTC0Q7WT", "Power BI Pro", "Create, publish and share Power BI reports and dashboards in collaborative workspaces.", "POWER_BI_PRO", G("f8a1db68-be16-40ed-86d5-cb42ce701560"), 14.00m, 16.80m, null, 10000, false, []),
        new("CFQ7TTC0LFLS", "0002", "CFQ7TTC0KDLJ", "Microsoft Entra ID P1", "Conditional Access, dynamic groups, self-service password reset with writeback, and application proxy.", "AAD_PREMIUM", G("078d2b04-f1bd-4111-bbd4-b4b1b354cef4"), 6.00m, 7.20m, null, 10000, false, []),
        new("CFQ7TTC0LH0T", "0001", "CFQ7TTC0K4KQ", "Microsoft Teams Phone Standard", "Cloud phone system for Teams: PSTN calling via Calling Plan, Operator Connect or Direct Routing, plus call queues and auto attendants.", "MCOEV", G("e43b5b99-8dfb-405f-9987-dc307f34bcbd"), 8.00m, 12.00m, null, 10000, true, TeamsBases),
        new("CFQ7TTC0JXCZ", "0004", "CFQ7TTC0EM09", "Microsoft Teams Audio Conferencing with dial-out to USA/CAN", "Dial-in numbers for Teams meetings plus 60 dial-out minutes per user per month, pooled, to US and Canada numbers.", "Microsoft_Teams_Audio_Conferencing_select_dial_out", G("1c27243e-fb4d-42b1-ae8c-fe25c9616588"), 0.00m, 0.00m, 0.00m, 10000, true, TeamsBases),
        new("CFQ7TTC0LH0J", "0001", "CFQ7TTC0EM10", "Exchange Online Archiving", "Auto-expanding archive mailbox with retention, litigation hold and eDiscovery.", "EXCHANGEARCHIVE_ADDON", G("ee02fd1b-340e-4a4b-b355-4a514e4c8943"), 3.00m, 3.60m, null, 10000, true,
            ["CFQ7TTC0LH16:0001", "CFQ7TTC0LH0L:0001", "CFQ7TTC0LH18:0001", "CFQ7TTC0LDPB:0001", "CFQ7TTC0LF8Q:0001"]),
        new("CFQ7TTC0LH04", "0001", "CFQ7TTC0EM11", "Microsoft Defender for Office 365 (Plan 1)", "Safe Attachments, Safe Links and anti-phishing protection for email, Teams, SharePoint and OneDrive.", "ATP_ENTERPRISE", G("4ef96642-f096-40de-a3e9-d83fb2f90211"), 2.00m, 2.40m, null, 10000, true,
            ["CFQ7TTC0LH18:0001", "CFQ7TTC0LDPB:0001", "CFQ7TTC0LF8Q:0001", "CFQ7TTC0LF8R:0001", "CFQ7TTC0LFLX:0001", "CFQ7TTC0LH16:0001", "CFQ7TTC0LH1P:0001", "CFQ7TTC0LH0L:0001"]),
        new("CFQ7TTC0MM8R", "0002", "CFQ7TTC0EM12", "Microsoft 365 Copilot", "AI assistant built into Word, Excel, PowerPoint, Outlook and Teams that grounds its answers in the tenant's Graph data.", "Microsoft_365_Copilot", G("639dec6b-bb19-468b-871c-c5c441c4b0cb"), 30.00m, 36.00m, null, 10000, true,
            ["CFQ7TTC0LFLZ:0002", "CFQ7TTC0LFLX:0001", "CFQ7TTC0MBMD:0002", "CFQ7TTC0LH05:0001", "CFQ7TTC0LH18:0001", "CFQ7TTC0LDPB:0001", "CFQ7TTC0LCHC:0002", "CFQ7TTC0LH1G:0001", "CFQ7TTC0LGZT:0001", "CFQ7TTC0LF8S:0001", "CFQ7TTC0LF8R:0001", "CFQ7TTC0LF8Q:0001", "CFQ7TTC0JN4R:0002", "CFQ7TTC0MZJF:0009", "CFQ7TTC0LH0L:0001", "CFQ7TTC0LH16:0001", "CFQ7TTC0LH1P:0001", "CFQ7TTC0HDB0:0002", "CFQ7TTC0HD32:0002"]),
    ];

    private static readonly HashSet<string> EuroCountries =
        ["AT", "BE", "HR", "CY", "EE", "FI", "FR", "DE", "GR", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PT", "SK", "SI", "ES"];

    public static bool IsEuroCountry(string country) => EuroCountries.Contains(country.ToUpperInvariant());

    public static string CurrencyFor(string? country) => country is not null && IsEuroCountry(country) ? "EUR" : "USD";

    public static string CurrencySymbol(string currency) => currency == "EUR" ? "€" : "$";

    public static CatalogItem? Product(string productId) =>
        Items.FirstOrDefault(i => i.ProductId.Equals(productId, StringComparison.OrdinalIgnoreCase));

    public static CatalogItem? Sku(string productId, string skuId) =>
        Items.FirstOrDefault(i => i.ProductId.Equals(productId, StringComparison.OrdinalIgnoreCase) && i.SkuId == skuId);

    public static CatalogItem? ByCatalogItemId(string catalogItemId) =>
        Items.FirstOrDefault(i => i.CatalogItemId.Equals(catalogItemId, StringComparison.OrdinalIgnoreCase));

    public static CatalogItem? ByGraphSku(Guid skuId) => Items.FirstOrDefault(i => i.GraphSkuId == skuId);

    public static CatalogTerm? Term(string duration, string billingCycle) => Terms.FirstOrDefault(t =>
        t.Duration.Equals(duration, StringComparison.OrdinalIgnoreCase) && t.BillingCycle.Equals(billingCycle, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Microsoft's cost price per seat per month: P1M at the monthly-term price; P1Y paid annually at the annual price;
    /// P1Y billed monthly 5% above it (Microsoft's rule since 1 April 2025).
    /// </summary>
    public static decimal MonthlyUnitPrice(CatalogItem item, string termDuration, string billingCycle, string currency)
    {
        var usd = termDuration.Equals("P1M", StringComparison.OrdinalIgnoreCase)
            ? item.UsdMonthly
            : billingCycle.Equals("annual", StringComparison.OrdinalIgnoreCase) ? item.UsdAnnual : Math.Round(item.UsdAnnual * 1.05m, 2);
        if (currency != "EUR") return usd;
        var ratio = item.EurAnnualKnown is { } eur && item.UsdAnnual > 0 ? eur / item.UsdAnnual : EurPerUsd;
        return Math.Round(usd * ratio, 2);
    }

    private static Guid G(string s) => Guid.Parse(s);
}
