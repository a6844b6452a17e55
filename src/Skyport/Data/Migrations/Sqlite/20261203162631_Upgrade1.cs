using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Upgrade1 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "RelatedSubscriptionId",
                table: "o365_subscription_events",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "upgrade_intents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OperationKey = table.Column<string>(type: "TEXT", maxLength: 240, nullable: true),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SourceSubscriptionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ToOfferId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    TransferLicenses = table.Column<bool>(type: "INTEGER", nullable: false),
                    SourceQuantityBefore = table.Column<int>(type: "INTEGER", nullable: false),
                    UnitPrice = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    PriceSource = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TargetSubscriptionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Refusal = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    OwnerInstanceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_upgrade_intents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_upgrade_intents_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_upgrade_intents_OperationKey",
                table: "upgrade_intents",
                column: "OperationKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_upgrade_intents_OrganizationId",
                table: "upgrade_intents",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_upgrade_intents_SourceSubscriptionId",
                table: "upgrade_intents",
                column: "SourceSubscriptionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "upgrade_intents");

            migrationBuilder.DropColumn(
                name: "RelatedSubscriptionId",
                table: "o365_subscription_events");
        }
    }
}
