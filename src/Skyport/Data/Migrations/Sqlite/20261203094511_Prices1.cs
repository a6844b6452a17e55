using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 100,
                nullable: true);
        }
    }
}
