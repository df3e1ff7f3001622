using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovMail.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RetentionSavedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SavedAt",
                table: "mailbox_messages",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            // Mail already stored counts as saved at the upgrade: Trash and Junk start their retention clock then.
            migrationBuilder.Sql("UPDATE mailbox_messages SET \"SavedAt\" = now();");

            migrationBuilder.CreateIndex(
                name: "IX_mailbox_messages_MailboxId_SavedAt",
                table: "mailbox_messages",
                columns: new[] { "MailboxId", "SavedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_mailbox_messages_MailboxId_SavedAt",
                table: "mailbox_messages");

            migrationBuilder.DropColumn(
                name: "SavedAt",
                table: "mailbox_messages");
        }
    }
}
