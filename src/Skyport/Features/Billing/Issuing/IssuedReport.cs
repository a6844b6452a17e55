using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Organizations;

namespace Skyport.Features.Billing.Issuing;

/// <summary>
/// A customer's report of a closed cycle, as issued: it never changes. The key (customer, billing date) is what makes two
/// requests issuing the same cycle at once store it once. The lines are one JSON column: a report is written once and
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

/// <summary>One line of an issued report; the report keeps them in report order.</summary>
public sealed class IssuedLine
{
    public Guid SubscriptionId { get; init; }
    public Guid? ParentId { get; init; }
    public required string OfferId { get; init; }
    public required string Type { get; init; }
    public DateOnly PeriodStart { get; init; }
    public DateOnly PeriodEnd { get; init; }
    public int Quantity { get; init; }
    public decimal UnitPrice { get; init; }
    public decimal Amount { get; init; }
    public required string PriceSource { get; init; }
    /// <summary>For a correction, the billing date of the cycle it corrects.</summary>
    public DateOnly? Corrects { get; init; }

    public ReportLine ToLine() => new(
        SubscriptionId.ToString(), ParentId?.ToString(), OfferId, Type, PeriodStart, PeriodEnd, Quantity, UnitPrice, Amount, PriceSource, Corrects);
}

internal sealed class IssuedReportConfiguration : IEntityTypeConfiguration<IssuedReport>
{
    public void Configure(EntityTypeBuilder<IssuedReport> builder)
    {
        builder.ToTable("billing_issued_reports");
        builder.HasKey(r => new { r.OrganizationId, r.BillingDate });
        builder.Property(r => r.Currency).HasMaxLength(3);
        // Short names: a large reseller's year of reports is read at once for its export.
        builder.OwnsMany(r => r.Lines, lines =>
        {
            lines.ToJson("Lines");
            lines.Property(l => l.SubscriptionId).HasJsonPropertyName("s");
            lines.Property(l => l.ParentId).HasJsonPropertyName("p");
            lines.Property(l => l.OfferId).HasJsonPropertyName("o");
            lines.Property(l => l.Type).HasJsonPropertyName("t");
            lines.Property(l => l.PeriodStart).HasJsonPropertyName("from");
            lines.Property(l => l.PeriodEnd).HasJsonPropertyName("to");
            lines.Property(l => l.Quantity).HasJsonPropertyName("q");
            lines.Property(l => l.UnitPrice).HasJsonPropertyName("price");
            lines.Property(l => l.Amount).HasJsonPropertyName("amount");
            lines.Property(l => l.PriceSource).HasJsonPropertyName("src");
            lines.Property(l => l.Corrects).HasJsonPropertyName("corrects");
        });
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
