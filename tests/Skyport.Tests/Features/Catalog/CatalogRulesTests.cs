using Skyport.Features.Catalog;

namespace Skyport.Tests.Features.Catalog;

public sealed class CatalogGroupingTests
{
    // Every title of the emulator's catalog, grouped as the emulator's own categories grouped them before Microsoft's
    // catalog shape (no category) was followed, plus titles that must not be misread.
    [Theory]
    [InlineData("Microsoft 365 Business Basic", false, "Microsoft 365", "Business")]
    [InlineData("Microsoft 365 Business Standard", false, "Microsoft 365", "Business")]
    [InlineData("Microsoft 365 Business Premium", false, "Microsoft 365", "Business")]
    [InlineData("Microsoft 365 Apps for business", false, "Microsoft 365", "Business")]
    [InlineData("Microsoft 365 Apps for enterprise", false, "Microsoft 365", "Enterprise")]
    [InlineData("Office 365 E1", false, "Microsoft 365", "Enterprise")]
    [InlineData("Office 365 E3", false, "Microsoft 365", "Enterprise")]
    [InlineData("Office 365 E5", false, "Microsoft 365", "Enterprise")]
    [InlineData("Microsoft 365 E3", false, "Microsoft 365", "Enterprise")]
    [InlineData("Microsoft 365 E5 (no Teams)", false, "Microsoft 365", "Enterprise")]
    [InlineData("Microsoft 365 F1", false, "Microsoft 365", "Frontline")]
    [InlineData("Microsoft 365 F3", false, "Microsoft 365", "Frontline")]
    [InlineData("Exchange Online (Plan 1)", false, "Exchange", "Standalone")]
    [InlineData("Exchange Online (Plan 2)", false, "Exchange", "Standalone")]
    [InlineData("Exchange Online Kiosk", false, "Exchange", "Frontline")]
    [InlineData("Microsoft Teams Essentials", false, "Teams", "Business")]
    [InlineData("Microsoft Teams Enterprise", false, "Teams", "Enterprise")]
    [InlineData("Visio Plan 2", false, "Project and Visio", "Standalone")]
    [InlineData("Project Plan 3", false, "Project and Visio", "Standalone")]
    [InlineData("Power BI Pro", false, "Power BI", "Standalone")]
    [InlineData("Microsoft Entra ID P1", false, "Security and identity", "Standalone")]
    [InlineData("Exchange Online Archiving", true, "Add-ons", "Exchange")]
    [InlineData("Microsoft Teams Phone Standard", true, "Add-ons", "Teams")]
    [InlineData("Microsoft Teams Audio Conferencing with dial-out to USA/CAN", true, "Add-ons", "Teams")]
    [InlineData("Microsoft Defender for Office 365 (Plan 1)", true, "Add-ons", "Security")]
    [InlineData("Microsoft 365 Copilot", true, "Add-ons", "Copilot")]
    [InlineData("Microsoft 365 Business Basic", true, "Add-ons", "Other add-ons")]
    [InlineData("Mystery product", false, "Other", "Standalone")]
    public void Offers_are_grouped_by_category_and_product_group_from_the_title_and_isAddon(string title, bool isAddOn, string category, string group)
    {
        Assert.Equal((category, group), CatalogGrouping.Classify(title, isAddOn));
    }
}

public sealed class PriceListRulesTests
{
    private static IReadOnlyCollection<string>? Terms(string offerId) =>
        offerId == "A:0001:X" ? ["P1M/monthly", "P1Y/monthly", "P1Y/annual"] : offerId == "B:0001:Y" ? ["P1Y/annual"] : null;

    [Theory]
    [InlineData("A:0001:X", "P1M", "monthly", "10.50", "2026-01-01", null, null)]
    [InlineData("A:0001:X", "p1y", "Annual", "0", "2026-01-01", null, null)]
    [InlineData("", "P1M", "monthly", "1", "2026-01-01", "offerId", "Enter the offer ID.")]
    [InlineData("Z:1:2", "P1M", "monthly", "1", "2026-01-01", "offerId", "Z:1:2 is not an offer of the catalog.")]
    [InlineData("A:0001:X", "P3Y", "monthly", "1", "2026-01-01", "termDuration", "The term must be P1M or P1Y.")]
    [InlineData("A:0001:X", "P1M", "weekly", "1", "2026-01-01", "billingFrequency", "The billing frequency must be monthly or annual.")]
    [InlineData("A:0001:X", "P1M", "annual", "1", "2026-01-01", "billingFrequency", "Annual billing is only for the P1Y term.")]
    [InlineData("B:0001:Y", "P1Y", "monthly", "1", "2026-01-01", "termDuration", "B:0001:Y is not sold with P1Y billed monthly.")]
    [InlineData("A:0001:X", "P1M", "monthly", null, "2026-01-01", "unitPrice", "Enter the unit price.")]
    [InlineData("A:0001:X", "P1M", "monthly", "-0.01", "2026-01-01", "unitPrice", "The unit price cannot be negative.")]
    [InlineData("A:0001:X", "P1M", "monthly", "1.005", "2026-01-01", "unitPrice", "The unit price has at most 2 decimals.")]
    [InlineData("A:0001:X", "P1M", "monthly", "1000000.01", "2026-01-01", "unitPrice", "The unit price cannot exceed 1,000,000.")]
    [InlineData("A:0001:X", "P1M", "monthly", "1", "", "effectiveFrom", "Enter the date the price takes effect (YYYY-MM-DD).")]
    [InlineData("A:0001:X", "P1M", "monthly", "1", "01/02/2026", "effectiveFrom", "The date must be YYYY-MM-DD, between 2000 and 2099.")]
    [InlineData("A:0001:X", "P1M", "monthly", "1", "2026-02-30", "effectiveFrom", "The date must be YYYY-MM-DD, between 2000 and 2099.")]
    public void An_item_is_checked_field_by_field(string offerId, string term, string frequency, string? price, string from, string? field, string? message)
    {
        var (item, errors) = PriceListRules.Check(new PriceListItemInput(offerId, term, frequency, price is null ? null : decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), from), Terms);
        if (field is null)
        {
            Assert.Empty(errors);
            Assert.NotNull(item);
            Assert.Equal(term.ToUpperInvariant(), item.TermDuration);
            Assert.Equal(frequency.ToLowerInvariant(), item.BillingFrequency);
        }
        else
        {
            Assert.Null(item);
            Assert.Equal(message, errors[field]);
        }
    }

    [Fact]
    public void A_list_reports_every_bad_item_by_its_path_and_refuses_duplicates()
    {
        var (items, errors) = PriceListRules.CheckAll(
        [
            new("A:0001:X", "P1M", "monthly", 10m, "2026-01-01"),
            new("A:0001:X", "P1M", "monthly", 11m, "2026-01-01"),
            null,
            new("A:0001:X", "P1M", "monthly", 1.234m, "2026-01-01"),
            new("A:0001:X", "P1M", "monthly", 12m, "2026-06-01"),
        ], Terms);
        Assert.Equal(2, items.Count);
        Assert.Equal(["items[1].effectiveFrom", "items[2]", "items[3].unitPrice"], errors.Keys.Order());
        Assert.Contains("items[0]", errors["items[1].effectiveFrom"][0]);
        Assert.Equal("Enter the items (an empty list with \"replaceWithEmpty\": true clears the price list).", PriceListRules.CheckAll(null, Terms).Errors["items"][0]);
    }

    [Theory]
    [InlineData(0, 12, false, "The list is empty. To remove all 12 prices of the global price list, confirm.")]
    [InlineData(0, 1, false, "The list is empty. To remove the 1 price of the global price list, confirm.")]
    [InlineData(0, 12, true, null)]
    [InlineData(0, 0, false, null)]
    [InlineData(3, 12, false, null)]
    public void An_empty_replacement_of_a_list_with_prices_needs_confirming(int newItems, int currentItems, bool confirmed, string? message)
    {
        var refused = PriceListRules.RefuseEmptyReplacement(newItems, currentItems, confirmed, "global price list", "confirm");
        Assert.Equal(message, refused?.Errors?["items"][0]);
        Assert.Equal(message is null ? null : currentItems, refused?.Extensions?[PriceListRules.PricesToRemove]);
    }
}
