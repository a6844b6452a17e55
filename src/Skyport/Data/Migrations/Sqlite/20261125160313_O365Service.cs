using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class O365Service : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "o365_services",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DomainPrefix = table.Column<string>(type: "TEXT", maxLength: 27, nullable: false),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CustomerRequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AdminUserRequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AdminUserPrincipalName = table.Column<string>(type: "TEXT", maxLength: 113, nullable: true),
                    AdminUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CredentialsEmail = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    CredentialsSentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RelationshipRequestUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ActivatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_o365_services", x => x.Id);
                    table.ForeignKey(
                        name: "FK_o365_services_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_o365_services_Domain",
                table: "o365_services",
                column: "Domain");

            migrationBuilder.CreateIndex(
                name: "IX_o365_services_OrganizationId",
                table: "o365_services",
                column: "OrganizationId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "o365_services");
        }
    }
}
