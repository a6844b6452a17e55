using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InstancesAndPurchaseIntents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ChangeOwnerInstanceId",
                table: "o365_subscriptions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "OwnerInstanceId",
                table: "idempotency_records",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "purchase_intents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OperationKey = table.Column<string>(type: "TEXT", maxLength: 240, nullable: true),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OfferId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    TermDuration = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    BillingFrequency = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    FriendlyName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    PurchaseOrderNumber = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ParentSubscriptionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    UnitPrice = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    PriceSource = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    CartRequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CheckoutRequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CartId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SubscriptionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Refusal = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    OwnerInstanceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_purchase_intents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_purchase_intents_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "skyport_instances",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    HeartbeatAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_skyport_instances", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_purchase_intents_OperationKey",
                table: "purchase_intents",
                column: "OperationKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_purchase_intents_OrganizationId",
                table: "purchase_intents",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_purchase_intents_Stage_UpdatedAt",
                table: "purchase_intents",
                columns: new[] { "Stage", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_skyport_instances_HeartbeatAt",
                table: "skyport_instances",
                column: "HeartbeatAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "purchase_intents");

            migrationBuilder.DropTable(
                name: "skyport_instances");

            migrationBuilder.DropColumn(
                name: "ChangeOwnerInstanceId",
                table: "o365_subscriptions");

            migrationBuilder.DropColumn(
                name: "OwnerInstanceId",
                table: "idempotency_records");
        }
    }
}
