using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Organizations;

namespace Skyport.Features.Billing.Issuing;

/// <summary>
/// A customer's report of a closed cycle, as issued: it never changes. The key (customer, billing date) is what makes two
/// requests issuing the same cycle at once store it once. The lines are one JSON text column: a report is written once and
/// always read whole, and one row per customer and cycle keeps issuing and reading a large reseller fast.
/// </summary>
public sealed class IssuedReport
{
    public Guid OrganizationId { get; init; }
    public DateOnly BillingDate { get; init; }
    public DateOnly PeriodStart { get; init; }
    public DateOnly PeriodEnd { get; init; }
    public required string Currency { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    public List<IssuedLine> Lines { get; init; } = [];

    public static IssuedReport From(Guid customerId, Statement statement, DateTimeOffset issuedAt) => new()
    {
        OrganizationId = customerId,
        BillingDate = statement.BillingDate,
        PeriodStart = statement.PeriodStart,
        PeriodEnd = statement.PeriodEnd,
        Currency = statement.Currency,
        IssuedAt = issuedAt,
        Lines = [.. statement.Lines.Select(line => new IssuedLine
        {
            SubscriptionId = Guid.Parse(line.SubscriptionId),
            ParentId = line.ParentId is null ? null : Guid.Parse(line.ParentId),
            OfferId = line.OfferId,
            Type = line.Type,
            PeriodStart = line.PeriodStart,
            PeriodEnd = line.PeriodEnd,
            Quantity = line.Quantity,
            UnitPrice = line.UnitPrice,
            Amount = line.Amount,
            PriceSource = line.PriceSource,
            Corrects = line.Corrects,
        })],
    };

    public Statement ToStatement() =>
        new(BillingDate, PeriodStart, PeriodEnd, Currency, StatementState.Issued, [.. Lines.Select(l => l.ToLine())]);
}

/// <summary>One line of an issued report; the report keeps them in report order. Short JSON names: a large reseller's year is read at once for its export.</summary>
public sealed class IssuedLine
{
    [JsonPropertyName("s")] public Guid SubscriptionId { get; init; }
    [JsonPropertyName("p")] public Guid? ParentId { get; init; }
    [JsonPropertyName("o")] public required string OfferId { get; init; }
    [JsonPropertyName("t")] public required string Type { get; init; }
    [JsonPropertyName("from")] public DateOnly PeriodStart { get; init; }
    [JsonPropertyName("to")] public DateOnly PeriodEnd { get; init; }
    [JsonPropertyName("q")] public int Quantity { get; init; }
    [JsonPropertyName("price")] public decimal UnitPrice { get; init; }
    [JsonPropertyName("amount")] public decimal Amount { get; init; }
    [JsonPropertyName("src")] public required string PriceSource { get; init; }
    /// <summary>For a correction, the billing date of the cycle it corrects.</summary>
    [JsonPropertyName("corrects")] public DateOnly? Corrects { get; init; }

    public ReportLine ToLine() => new(
        SubscriptionId.ToString(), ParentId?.ToString(), OfferId, Type, PeriodStart, PeriodEnd, Quantity, UnitPrice, Amount, PriceSource, Corrects);
}

[JsonSerializable(typeof(List<IssuedLine>))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class IssuedLineJson : JsonSerializerContext;

internal sealed class IssuedReportConfiguration : IEntityTypeConfiguration<IssuedReport>
{
    public void Configure(EntityTypeBuilder<IssuedReport> builder)
    {
        builder.ToTable("billing_issued_reports");
        builder.HasKey(r => new { r.OrganizationId, r.BillingDate });
        builder.Property(r => r.Currency).HasMaxLength(3);
        // Written once, never changed: compared by reference.
        builder.Property(r => r.Lines).HasConversion(
            lines => JsonSerializer.Serialize(lines, IssuedLineJson.Default.ListIssuedLine),
            json => JsonSerializer.Deserialize(json, IssuedLineJson.Default.ListIssuedLine)!,
            new ValueComparer<List<IssuedLine>>((a, b) => ReferenceEquals(a, b), lines => lines.Count, lines => lines));
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
