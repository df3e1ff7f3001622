using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovMail.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RetentionSavedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "SavedAt",
                table: "mailbox_messages",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Mail already stored counts as saved at the upgrade: Trash and Junk start their retention clock then.
            migrationBuilder.Sql("UPDATE mailbox_messages SET \"SavedAt\" = CAST(strftime('%s', 'now') AS INTEGER) * 10000000 + 621355968000000000;");

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
