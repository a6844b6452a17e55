using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Buying13CustomTermEnd : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "CustomTermEndDate",
                table: "purchase_intents",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "CustomTermEndDate",
                table: "o365_subscriptions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "CustomTermEndDate",
                table: "o365_subscription_events",
                type: "date",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CustomTermEndDate",
                table: "purchase_intents");

            migrationBuilder.DropColumn(
                name: "CustomTermEndDate",
                table: "o365_subscriptions");

            migrationBuilder.DropColumn(
                name: "CustomTermEndDate",
                table: "o365_subscription_events");
        }
    }
}
