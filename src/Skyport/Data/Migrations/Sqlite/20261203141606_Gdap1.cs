using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Gdap1 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AgreementAcceptedAt",
                table: "o365_services",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AgreementAttestedAt",
                table: "o365_services",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ApplicationConsentedAt",
                table: "o365_services",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "GdapAccessAssignedAt",
                table: "o365_services",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "GdapEndsAt",
                table: "o365_services",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GdapRelationshipId",
                table: "o365_services",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GdapStatus",
                table: "o365_services",
                type: "TEXT",
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
