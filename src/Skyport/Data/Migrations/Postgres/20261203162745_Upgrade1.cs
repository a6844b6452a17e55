using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Postgres
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
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "upgrade_intents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OperationKey = table.Column<string>(type: "character varying(240)", maxLength: 240, nullable: true),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    SourceSubscriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    ToOfferId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false),
                    TransferLicenses = table.Column<bool>(type: "boolean", nullable: false),
                    SourceQuantityBefore = table.Column<int>(type: "integer", nullable: false),
                    UnitPrice = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    PriceSource = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    TargetSubscriptionId = table.Column<Guid>(type: "uuid", nullable: true),
                    Stage = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Refusal = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    OwnerInstanceId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
