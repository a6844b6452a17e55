using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Postgres
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
                    Id = table.Column<int>(type: "integer", nullable: false),
                    TenantId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ClientId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ProtectedClientSecret = table.Column<string>(type: "text", nullable: true),
                    ProtectedTokenCache = table.Column<string>(type: "text", nullable: true),
                    AccountId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    SignedInUser = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    SignedInName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    SignedInAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SignInNeeded = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
