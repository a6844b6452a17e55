using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Organizations;

namespace Skyport.Features.Billing.Issuing;

/// <summary>
/// A customer's report of a closed cycle, as issued: it never changes. The key (customer, billing date) is what makes two
/// requests issuing the same cycle at once store it once.
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
        Lines = [.. statement.Lines.Select((line, position) => new IssuedLine
        {
            OrganizationId = customerId,
            BillingDate = statement.BillingDate,
            Position = position,
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

    public Statement ToStatement(IEnumerable<IssuedLine> lines) =>
        new(BillingDate, PeriodStart, PeriodEnd, Currency, StatementState.Issued, [.. lines.OrderBy(l => l.Position).Select(l => l.ToLine())]);
}

/// <summary>One line of an issued report, in report order (<see cref="Position"/>).</summary>
public sealed class IssuedLine
{
    public Guid OrganizationId { get; init; }
    public DateOnly BillingDate { get; init; }
    public int Position { get; init; }
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
        builder.HasMany(r => r.Lines).WithOne().HasForeignKey(l => new { l.OrganizationId, l.BillingDate }).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IssuedLineConfiguration : IEntityTypeConfiguration<IssuedLine>
{
    public void Configure(EntityTypeBuilder<IssuedLine> builder)
    {
        builder.ToTable("billing_issued_lines");
        builder.HasKey(l => new { l.OrganizationId, l.BillingDate, l.Position });
        builder.Property(l => l.OfferId).HasMaxLength(64);
        builder.Property(l => l.Type).HasMaxLength(16);
        builder.Property(l => l.UnitPrice).HasPrecision(18, 2);
        builder.Property(l => l.Amount).HasPrecision(18, 2);
        builder.Property(l => l.PriceSource).HasMaxLength(16);
    }
}
