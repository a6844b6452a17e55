using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AppUser1PartnerCenterConnection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "partner_center_connections",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ProtectedClientSecret = table.Column<string>(type: "TEXT", nullable: true),
                    ProtectedTokenCache = table.Column<string>(type: "TEXT", nullable: true),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    SignedInUser = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    SignedInName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    SignedInAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SignInNeeded = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partner_center_connections", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "partner_center_connections");
        }
    }
}
