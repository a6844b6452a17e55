using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Catalog1 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "catalog_cost_prices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OfferId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TermDuration = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    BillingFrequency = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    UnitPrice = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_cost_prices", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "catalog_group_names",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Original = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_group_names", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "catalog_offers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProductId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SkuId = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AvailabilityId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ItemCode = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    SourceCategory = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Category = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ProductGroup = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    IsAddOn = table.Column<bool>(type: "INTEGER", nullable: false),
                    BaseItemCodes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    LicenseSkuId = table.Column<Guid>(type: "TEXT", nullable: true),
                    MinimumQuantity = table.Column<int>(type: "INTEGER", nullable: false),
                    MaximumQuantity = table.Column<int>(type: "INTEGER", nullable: false),
                    Terms = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Hidden = table.Column<bool>(type: "INTEGER", nullable: false),
                    Available = table.Column<bool>(type: "INTEGER", nullable: false),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_offers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "price_list_items",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OfferId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TermDuration = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    BillingFrequency = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UnitPrice = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    EffectiveFrom = table.Column<DateOnly>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_price_list_items", x => x.Id);
                    table.ForeignKey(
                        name: "FK_price_list_items_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_catalog_cost_prices_OfferId_TermDuration_BillingFrequency",
                table: "catalog_cost_prices",
                columns: new[] { "OfferId", "TermDuration", "BillingFrequency" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_catalog_group_names_Kind_Original",
                table: "catalog_group_names",
                columns: new[] { "Kind", "Original" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_price_list_items_OrganizationId_OfferId",
                table: "price_list_items",
                columns: new[] { "OrganizationId", "OfferId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "catalog_cost_prices");

            migrationBuilder.DropTable(
                name: "catalog_group_names");

            migrationBuilder.DropTable(
                name: "catalog_offers");

            migrationBuilder.DropTable(
                name: "price_list_items");
        }
    }
}
