using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Organizations;
using Skyport.Web;

namespace Skyport.Features.Catalog;

/// <summary>Reads and replaces the global and the customer-specific price lists, as JSON or CSV.</summary>
public sealed class PriceListService(SkyportDbContext db, Caller caller, AuditLog audit, IOptions<CatalogOptions> options, TimeProvider clock)
{
    public string Currency => options.Value.Currency;

    public async Task<Outcome<PriceListDto>> GetAsync(Guid? customerId, CancellationToken ct)
    {
        if (customerId is { } id && await FindCustomerAsync(id, ct) is null)
        {
            return Failure.NotFound("The customer");
        }
        var items = await db.PriceListItems.AsNoTracking().Where(i => i.OrganizationId == customerId)
            .OrderBy(i => i.OfferId).ThenBy(i => i.TermDuration).ThenBy(i => i.BillingFrequency).ThenBy(i => i.EffectiveFrom)
            .ToListAsync(ct);
        var names = await db.CatalogOffers.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var costs = caller.IsBroker
            ? await db.CatalogCostPrices.AsNoTracking().ToDictionaryAsync(c => (c.OfferId, c.TermDuration, c.BillingFrequency), c => c.UnitPrice, ct)
            : [];
        return new PriceListDto(customerId is null ? "global" : "customer", customerId, Currency, [.. items.Select(i =>
        {
            decimal? cost = costs.TryGetValue((i.OfferId, i.TermDuration, i.BillingFrequency), out var c) ? c : null;
            return new PriceListItemDto(i.OfferId, names.GetValueOrDefault(i.OfferId), i.TermDuration, i.BillingFrequency, i.UnitPrice, i.EffectiveFrom,
                cost, cost is { } known ? i.UnitPrice - known : null);
        })]);
    }

    public async Task<Outcome<PriceListDto>> ReplaceAsync(Guid? customerId, PriceListRequest request, CancellationToken ct)
    {
        if (await MayWriteAsync(customerId, ct) is { } refused)
        {
            return refused;
        }
        var terms = await OfferTermsAsync(ct);
        var (items, errors) = PriceListRules.CheckAll(request.Items, id => terms.GetValueOrDefault(id));
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }
        if (await RefuseEmptyAsync(customerId, items.Count, request.ReplaceWithEmpty, "send \"replaceWithEmpty\": true with it", ct) is { } empty)
        {
            return empty;
        }
        await StoreAsync(customerId, items, ct);
        return await GetAsync(customerId, ct);
    }

    /// <summary>Reads a CSV file; every bad row is reported by its line number and nothing is stored unless all rows are good.</summary>
    public async Task<Outcome<PriceListDto>> ImportCsvAsync(Guid? customerId, Stream csv, bool replaceWithEmpty, CancellationToken ct)
    {
        if (await MayWriteAsync(customerId, ct) is { } refused)
        {
            return refused;
        }
        var (rows, lines, readErrors) = await ReadCsvAsync(csv, ct);
        if (readErrors.ContainsKey("line 1") || readErrors.ContainsKey("file"))
        {
            return new Failure(FailureKind.Invalid, "The file was not imported.", readErrors);
        }
        var terms = await OfferTermsAsync(ct);
        var (items, errors) = PriceListRules.CheckAll(rows, id => terms.GetValueOrDefault(id), i => $"line {lines[i]}");
        foreach (var (key, messages) in readErrors)
        {
            errors[key] = messages;
        }
        if (errors.Count > 0)
        {
            var badRows = errors.Keys.Select(k => k.Split('.')[0]).Distinct().Count();
            return new Failure(FailureKind.Invalid, $"The file has {badRows} bad {(badRows == 1 ? "row" : "rows")}; nothing was imported.", errors);
        }
        if (await RefuseEmptyAsync(customerId, items.Count, replaceWithEmpty, "upload it with ?replaceWithEmpty=true", ct) is { } empty)
        {
            return empty;
        }
        await StoreAsync(customerId, items, ct);
        return await GetAsync(customerId, ct);
    }

    public async Task<Outcome<string>> ExportCsvAsync(Guid? customerId, CancellationToken ct)
    {
        var list = await GetAsync(customerId, ct);
        if (!list.Succeeded)
        {
            return list.Failure!;
        }
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = CsvWriter.Create(writer, null, leaveOpen: true))
        {
            csv.WriteHeader(["offerId", "termDuration", "billingFrequency", "unitPrice", "effectiveFrom", "name"]);
            foreach (var item in list.Value!.Items)
            {
                csv.WriteRecord(
                [
                    item.OfferId, item.TermDuration, item.BillingFrequency,
                    item.UnitPrice.ToString("0.00", CultureInfo.InvariantCulture),
                    item.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    item.Name ?? "",
                ]);
            }
        }
        return writer.ToString();
    }

    /// <summary>R5's lookup over both lists of a customer, for buying and for listing prices.</summary>
    public async Task<PriceLookup> LookupForAsync(Guid customerId, CancellationToken ct)
    {
        var items = await db.PriceListItems.AsNoTracking().Where(i => i.OrganizationId == null || i.OrganizationId == customerId).ToListAsync(ct);
        return new PriceLookup(new PriceLists(
            [.. items.Where(i => i.OrganizationId == null).Select(i => i.ToEntry())],
            [.. items.Where(i => i.OrganizationId == customerId).Select(i => i.ToEntry())]));
    }

    public DateOnly Today => Utc.DateOf(clock.GetUtcNow());

    private async Task<(List<PriceListItemInput?> Rows, List<int> Lines, Dictionary<string, string[]> Errors)> ReadCsvAsync(Stream stream, CancellationToken ct)
    {
        var rows = new List<PriceListItemInput?>();
        var lines = new List<int>();
        var errors = new Dictionary<string, string[]>();
        string[] columns = ["offerId", "termDuration", "billingFrequency", "unitPrice", "effectiveFrom"];
        await using var csv = CsvReader.Create(stream, CsvReaderOptions.Default with { TrackLineNumbers = true, TrimWhitespace = true, SkipEmptyLines = true }, leaveOpen: true);
        try
        {
            await csv.ReadHeaderAsync(ct);
        }
        catch (CsvFormatException exception)
        {
            errors["line 1"] = [$"The header cannot be read: {exception.Message}"];
            return (rows, lines, errors);
        }
        var headers = csv.Headers.Select(h => h.Trim()).ToList();
        var missing = columns.Where(c => !headers.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        if (headers.Count == 0 || missing.Count > 0)
        {
            errors["line 1"] = [$"The first line names the columns {string.Join(", ", columns)}; missing: {string.Join(", ", missing)}."];
            return (rows, lines, errors);
        }
        var index = columns.ToDictionary(c => c, c => headers.FindIndex(h => h.Equals(c, StringComparison.OrdinalIgnoreCase)));
        while (true)
        {
            try
            {
                if (!await csv.ReadAsync(ct))
                {
                    break;
                }
            }
            catch (CsvFormatException exception)
            {
                errors[$"line {csv.LineNumber}"] = [$"The row cannot be read: {exception.Message}"];
                break;
            }
            var line = (int)csv.LineNumber;
            string? Field(string column) => index[column] < csv.FieldCount ? csv.GetString(index[column]) : null;
            var priceText = Field("unitPrice")?.Trim();
            decimal? price = null;
            if (!string.IsNullOrEmpty(priceText))
            {
                if (decimal.TryParse(priceText, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
                {
                    price = parsed;
                }
                else
                {
                    errors[$"line {line}.unitPrice"] = [$"\"{priceText}\" is not a number (use a dot for decimals)."];
                    continue;
                }
            }
            rows.Add(new PriceListItemInput(Field("offerId"), Field("termDuration"), Field("billingFrequency"), price, Field("effectiveFrom")));
            lines.Add(line);
        }
        return (rows, lines, errors);
    }

    private async Task StoreAsync(Guid? customerId, IReadOnlyList<PriceListItemInput> items, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.PriceListItems.Where(i => i.OrganizationId == customerId).ExecuteDeleteAsync(ct);
        db.PriceListItems.AddRange(items.Select(i => new PriceListItem
        {
            OrganizationId = customerId,
            OfferId = i.OfferId!,
            TermDuration = i.TermDuration!,
            BillingFrequency = i.BillingFrequency!,
            UnitPrice = i.UnitPrice!.Value,
            EffectiveFrom = DateOnly.ParseExact(i.EffectiveFrom!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        }));
        db.PriceListSaves.Add(new PriceListSave { OrganizationId = customerId, SavedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (customerId is { } id)
        {
            await audit.RecordAsync(id, "Replace price list", "succeeded", $"{items.Count} prices", ct);
        }
    }

    private async Task<Failure?> RefuseEmptyAsync(Guid? customerId, int newItems, bool confirmed, string howToConfirm, CancellationToken ct) =>
        newItems > 0 || confirmed
            ? null
            : PriceListRules.RefuseEmptyReplacement(newItems, await db.PriceListItems.CountAsync(i => i.OrganizationId == customerId, ct), confirmed,
                customerId is null ? "global price list" : "customer's price list", howToConfirm);

    private async Task<Failure?> MayWriteAsync(Guid? customerId, CancellationToken ct)
    {
        if (customerId is { } id)
        {
            if (await FindCustomerAsync(id, ct) is null)
            {
                return Failure.NotFound("The customer");
            }
            return caller.OrganizationKind == OrganizationKind.Customer
                ? Failure.Forbidden("Only the broker and the customer's reseller can change a customer's price list.")
                : null;
        }
        return caller.IsBroker ? null : Failure.Forbidden("Only broker administrators can change the global price list.");
    }

    private Task<Organization?> FindCustomerAsync(Guid id, CancellationToken ct) =>
        db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id && o.Kind == OrganizationKind.Customer, ct);

    private async Task<Dictionary<string, IReadOnlyCollection<string>>> OfferTermsAsync(CancellationToken ct) =>
        (await db.CatalogOffers.AsNoTracking().Select(o => new { o.Id, o.Terms }).ToListAsync(ct))
            .ToDictionary(o => o.Id, o => (IReadOnlyCollection<string>)o.Terms.Split(',', StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);
}

/// <summary>Gives a new installation's demo a global price list (Microsoft's cost plus a margin) so that a new user can buy at once.</summary>
public sealed class DemoPriceList(SkyportDbContext db, IConfiguration configuration, IOptions<CatalogOptions> options, TimeProvider clock)
{
    public async Task SeedIfEmptyAsync(CancellationToken ct)
    {
        if (!configuration.GetValue("Skyport:SeedDemo", false))
        {
            return;
        }
        // Instances starting together on one PostgreSQL database seed it once: the first holds this lock.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(73100005)", ct);
        }
        if (await db.PriceListItems.AnyAsync(i => i.OrganizationId == null, ct))
        {
            return;
        }
        var from = new DateOnly(Utc.DateOf(clock.GetUtcNow()).Year, 1, 1);
        var margin = 1 + options.Value.DemoMargin;
        var costs = await db.CatalogCostPrices.AsNoTracking().ToListAsync(ct);
        db.PriceListItems.AddRange(costs.Select(c => new PriceListItem
        {
            OfferId = c.OfferId,
            TermDuration = c.TermDuration,
            BillingFrequency = c.BillingFrequency,
            UnitPrice = Money.RoundHalfAwayFromZero(c.UnitPrice * margin),
            EffectiveFrom = from,
        }));
        db.PriceListSaves.Add(new PriceListSave { SavedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
