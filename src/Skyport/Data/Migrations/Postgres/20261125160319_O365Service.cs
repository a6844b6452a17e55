using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    DomainPrefix = table.Column<string>(type: "character varying(27)", maxLength: 27, nullable: false),
                    Domain = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CustomerRequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    AdminUserRequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: true),
                    AdminUserPrincipalName = table.Column<string>(type: "character varying(113)", maxLength: 113, nullable: true),
                    AdminUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    CredentialsEmail = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    CredentialsSentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RelationshipRequestUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActivatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
