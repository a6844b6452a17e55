using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OnboardingClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_o365_services_Domain",
                table: "o365_services");

            migrationBuilder.AddColumn<long>(
                name: "CreateRequestedAt",
                table: "o365_services",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_o365_services_Domain",
                table: "o365_services",
                column: "Domain",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_o365_services_TenantId",
                table: "o365_services",
                column: "TenantId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_o365_services_Domain",
                table: "o365_services");

            migrationBuilder.DropIndex(
                name: "IX_o365_services_TenantId",
                table: "o365_services");

            migrationBuilder.DropColumn(
                name: "CreateRequestedAt",
                table: "o365_services");

            migrationBuilder.CreateIndex(
                name: "IX_o365_services_Domain",
                table: "o365_services",
                column: "Domain");
        }
    }
}
