using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Skyport.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Mail1Dispatch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "EmailSentAt",
                table: "tenant_user_creations",
                newName: "EmailQueuedAt");

            migrationBuilder.RenameColumn(
                name: "CredentialsSentAt",
                table: "o365_services",
                newName: "CredentialsQueuedAt");


            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "outbox",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimedBy",
                table: "outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Deliver",
                table: "outbox",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "LastError",
                table: "outbox",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "NextAttemptAt",
                table: "outbox",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RefusedAt",
                table: "outbox",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SentAt",
                table: "outbox",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_SentAt_RefusedAt_NextAttemptAt",
                table: "outbox",
                columns: new[] { "SentAt", "RefusedAt", "NextAttemptAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_outbox_SentAt_RefusedAt_NextAttemptAt",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "Deliver",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "LastError",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "NextAttemptAt",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "RefusedAt",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "SentAt",
                table: "outbox");

            migrationBuilder.RenameColumn(
                name: "EmailQueuedAt",
                table: "tenant_user_creations",
                newName: "EmailSentAt");

            migrationBuilder.RenameColumn(
                name: "CredentialsQueuedAt",
                table: "o365_services",
                newName: "CredentialsSentAt");

        }
    }
}
