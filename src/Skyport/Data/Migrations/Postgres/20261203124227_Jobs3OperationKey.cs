using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Jobs3OperationKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OperationKey",
                table: "bulk_jobs",
                type: "character varying(240)",
                maxLength: 240,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_bulk_jobs_OperationKey",
                table: "bulk_jobs",
                column: "OperationKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_bulk_jobs_OperationKey",
                table: "bulk_jobs");

            migrationBuilder.DropColumn(
                name: "OperationKey",
                table: "bulk_jobs");
        }
    }
}
