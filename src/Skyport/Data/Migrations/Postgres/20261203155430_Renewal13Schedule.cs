using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Renewal13Schedule : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "CancelAtTermEnd",
                table: "o365_subscriptions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExtendedSince",
                table: "o365_subscriptions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "ExtendedUnitPrice",
                table: "o365_subscriptions",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PurchasedAs",
                table: "o365_subscriptions",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ScheduledRenewal",
                table: "o365_subscriptions",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Schedule",
                table: "o365_subscription_events",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CancelAtTermEnd",
                table: "o365_subscriptions");

            migrationBuilder.DropColumn(
                name: "ExtendedSince",
                table: "o365_subscriptions");

            migrationBuilder.DropColumn(
                name: "ExtendedUnitPrice",
                table: "o365_subscriptions");

            migrationBuilder.DropColumn(
                name: "PurchasedAs",
                table: "o365_subscriptions");

            migrationBuilder.DropColumn(
                name: "ScheduledRenewal",
                table: "o365_subscriptions");

            migrationBuilder.DropColumn(
                name: "Schedule",
                table: "o365_subscription_events");
        }
    }
}
