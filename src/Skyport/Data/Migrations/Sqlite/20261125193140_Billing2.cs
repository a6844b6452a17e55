using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Billing2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RecordedAt",
                table: "o365_subscription_events",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "price_list_saves",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SavedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_price_list_saves", x => x.Id);
                    table.ForeignKey(
                        name: "FK_price_list_saves_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_price_list_saves_OrganizationId_SavedAt",
                table: "price_list_saves",
                columns: new[] { "OrganizationId", "SavedAt" });

            // Rows stored before this migration have no recording time: take them as recorded at the last issue (or at their own
            // instant when nothing was issued), so that every customer is settled in full once more, by its next issue.
            migrationBuilder.Sql("""
                UPDATE o365_subscription_events
                SET "RecordedAt" = COALESCE((SELECT MAX("IssuedAt") FROM billing_issued_reports), "At");
                INSERT INTO price_list_saves ("Id", "OrganizationId", "SavedAt")
                SELECT '5A7E1B2C-0000-4000-8000-000000000B02', NULL, (SELECT MAX("IssuedAt") FROM billing_issued_reports)
                WHERE EXISTS (SELECT 1 FROM billing_issued_reports);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "price_list_saves");

            migrationBuilder.DropColumn(
                name: "RecordedAt",
                table: "o365_subscription_events");
        }
    }
}
