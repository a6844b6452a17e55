using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Organizations;

namespace Skyport.Features.Catalog;

/// <summary>
/// A price list was stored (replaced, imported or cleared) at <see cref="SavedAt"/> (Skyport's clock): the global list when
/// <see cref="OrganizationId"/> is null, else the customer's. Billing corrects an issued cycle only for customers with a change
/// recorded after that cycle's issue; a cleared list leaves no item behind, so the save itself is the record.
/// </summary>
public sealed class PriceListSave
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public Guid? OrganizationId { get; init; }
    public DateTimeOffset SavedAt { get; init; }
}

internal sealed class PriceListSaveConfiguration : IEntityTypeConfiguration<PriceListSave>
{
    public void Configure(EntityTypeBuilder<PriceListSave> builder)
    {
        builder.ToTable("price_list_saves");
        builder.HasIndex(s => new { s.OrganizationId, s.SavedAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
