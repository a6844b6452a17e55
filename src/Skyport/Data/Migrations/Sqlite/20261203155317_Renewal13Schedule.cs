using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExtendedSince",
                table: "o365_subscriptions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "ExtendedUnitPrice",
                table: "o365_subscriptions",
                type: "TEXT",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PurchasedAs",
                table: "o365_subscriptions",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ScheduledRenewal",
                table: "o365_subscriptions",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Schedule",
                table: "o365_subscription_events",
                type: "TEXT",
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
