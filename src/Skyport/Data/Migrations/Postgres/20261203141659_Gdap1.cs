using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Gdap1 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AgreementAcceptedAt",
                table: "o365_services",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AgreementAttestedAt",
                table: "o365_services",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ApplicationConsentedAt",
                table: "o365_services",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "GdapAccessAssignedAt",
                table: "o365_services",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "GdapEndsAt",
                table: "o365_services",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GdapRelationshipId",
                table: "o365_services",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GdapStatus",
                table: "o365_services",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AgreementAcceptedAt",
                table: "o365_services");

            migrationBuilder.DropColumn(
                name: "AgreementAttestedAt",
                table: "o365_services");

            migrationBuilder.DropColumn(
                name: "ApplicationConsentedAt",
                table: "o365_services");

            migrationBuilder.DropColumn(
                name: "GdapAccessAssignedAt",
                table: "o365_services");

            migrationBuilder.DropColumn(
                name: "GdapEndsAt",
                table: "o365_services");

            migrationBuilder.DropColumn(
                name: "GdapRelationshipId",
                table: "o365_services");

            migrationBuilder.DropColumn(
                name: "GdapStatus",
                table: "o365_services");
        }
    }
}
