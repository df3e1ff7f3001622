using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovMail.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WebListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_mailbox_messages_MailboxId_Uid_Unseen",
                table: "mailbox_messages");

            migrationBuilder.AddColumn<string>(
                name: "SortSender",
                table: "mailbox_messages",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SortSubject",
                table: "mailbox_messages",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            // The sort keys of the messages already stored, as the mail store sets them from now on.
            migrationBuilder.Sql("""
                UPDATE mailbox_messages mm SET "SortSubject" = left(s."Subject", 255), "SortSender" = left(coalesce(s."FromName", s."FromAddress"), 255)
                    FROM messages s WHERE s."Id" = mm."MessageId";
                """);

            migrationBuilder.CreateIndex(
                name: "IX_mailbox_messages_MailboxId_SortSender_Uid",
                table: "mailbox_messages",
                columns: new[] { "MailboxId", "SortSender", "Uid" });

            migrationBuilder.CreateIndex(
                name: "IX_mailbox_messages_MailboxId_SortSubject_Uid",
                table: "mailbox_messages",
                columns: new[] { "MailboxId", "SortSubject", "Uid" });

            migrationBuilder.CreateIndex(
                name: "IX_mailbox_messages_MailboxId_Uid_Flags",
                table: "mailbox_messages",
                columns: new[] { "MailboxId", "Uid", "Flags" });

            migrationBuilder.CreateIndex(
                name: "IX_mailbox_messages_MailboxId_Uid_Flags_Unseen",
                table: "mailbox_messages",
                columns: new[] { "MailboxId", "Uid", "Flags" },
                filter: "(\"Flags\" & 1) = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_mailbox_messages_MailboxId_SortSender_Uid",
                table: "mailbox_messages");

            migrationBuilder.DropIndex(
                name: "IX_mailbox_messages_MailboxId_SortSubject_Uid",
                table: "mailbox_messages");

            migrationBuilder.DropIndex(
                name: "IX_mailbox_messages_MailboxId_Uid_Flags",
                table: "mailbox_messages");

            migrationBuilder.DropIndex(
                name: "IX_mailbox_messages_MailboxId_Uid_Flags_Unseen",
                table: "mailbox_messages");

            migrationBuilder.DropColumn(
                name: "SortSender",
                table: "mailbox_messages");

            migrationBuilder.DropColumn(
                name: "SortSubject",
                table: "mailbox_messages");

            migrationBuilder.CreateIndex(
                name: "IX_mailbox_messages_MailboxId_Uid_Unseen",
                table: "mailbox_messages",
                columns: new[] { "MailboxId", "Uid" },
                filter: "(\"Flags\" & 1) = 0");
        }
    }
}
