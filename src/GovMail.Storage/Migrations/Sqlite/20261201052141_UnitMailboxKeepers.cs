using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovMail.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UnitMailboxKeepers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "KeeperAccountId",
                table: "usage_events",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "mailbox_keepers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MailboxAccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    KeeperAccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssignedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    AssignedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mailbox_keepers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mailbox_keepers_accounts_KeeperAccountId",
                        column: x => x.KeeperAccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_mailbox_keepers_accounts_MailboxAccountId",
                        column: x => x.MailboxAccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_mailbox_keepers_KeeperAccountId",
                table: "mailbox_keepers",
                column: "KeeperAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_mailbox_keepers_MailboxAccountId_KeeperAccountId",
                table: "mailbox_keepers",
                columns: new[] { "MailboxAccountId", "KeeperAccountId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mailbox_keepers");

            migrationBuilder.DropColumn(
                name: "KeeperAccountId",
                table: "usage_events");
        }
    }
}
