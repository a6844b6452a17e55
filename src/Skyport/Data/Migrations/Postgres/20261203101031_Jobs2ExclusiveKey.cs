using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Jobs2ExclusiveKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExclusiveKey",
                table: "bulk_jobs",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_bulk_jobs_ExclusiveKey",
                table: "bulk_jobs",
                column: "ExclusiveKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_bulk_jobs_ExclusiveKey",
                table: "bulk_jobs");

            migrationBuilder.DropColumn(
                name: "ExclusiveKey",
                table: "bulk_jobs");
        }
    }
}
