using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Skyport.Features.Organizations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.ToTable("organizations");
        builder.Property(o => o.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.Path).HasMaxLength(200);
        builder.HasIndex(o => o.Path).IsUnique();
        builder.HasIndex(o => o.ParentId);
        builder.Property(o => o.Name).HasMaxLength(OrganizationRules.MaxNameLength);
        builder.Property(o => o.Currency).HasMaxLength(3);
        builder.Ignore(o => o.Billing);
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.ComplexProperty(o => o.Address, a =>
        {
            a.Property(x => x.Line1).HasColumnName("address_line1").HasMaxLength(200);
            a.Property(x => x.Line2).HasColumnName("address_line2").HasMaxLength(200);
            a.Property(x => x.City).HasColumnName("address_city").HasMaxLength(100);
            a.Property(x => x.State).HasColumnName("address_state").HasMaxLength(100);
            a.Property(x => x.PostalCode).HasColumnName("address_postal_code").HasMaxLength(20);
            a.Property(x => x.Country).HasColumnName("address_country").HasMaxLength(2);
        });
        builder.ComplexProperty(o => o.Contact, c =>
        {
            c.Property(x => x.FirstName).HasColumnName("contact_first_name").HasMaxLength(100);
            c.Property(x => x.LastName).HasColumnName("contact_last_name").HasMaxLength(100);
            c.Property(x => x.Email).HasColumnName("contact_email").HasMaxLength(254);
            c.Property(x => x.Phone).HasColumnName("contact_phone").HasMaxLength(30);
        });
    }
}
