using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovMail.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImapExpungeLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "expunged_messages",
                columns: table => new
                {
                    MailboxId = table.Column<long>(type: "INTEGER", nullable: false),
                    Uid = table.Column<uint>(type: "INTEGER", nullable: false),
                    ModSeq = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_expunged_messages", x => new { x.MailboxId, x.Uid });
                    table.ForeignKey(
                        name: "FK_expunged_messages_mailboxes_MailboxId",
                        column: x => x.MailboxId,
                        principalTable: "mailboxes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_expunged_messages_MailboxId_ModSeq",
                table: "expunged_messages",
                columns: new[] { "MailboxId", "ModSeq" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "expunged_messages");
        }
    }
}
