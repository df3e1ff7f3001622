using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovMail.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ClusterUnseenIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_mailbox_messages_MailboxId_Uid_Unseen",
                table: "mailbox_messages",
                columns: new[] { "MailboxId", "Uid" },
                filter: "(\"Flags\" & 1) = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_mailbox_messages_MailboxId_Uid_Unseen",
                table: "mailbox_messages");
        }
    }
}
