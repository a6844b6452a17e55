using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Prices1 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SourceCategory",
                table: "catalog_offers");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SourceCategory",
                table: "catalog_offers",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);
        }
    }
}
