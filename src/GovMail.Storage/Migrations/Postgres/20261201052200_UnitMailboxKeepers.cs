using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GovMail.Storage.Migrations.Postgres
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
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "mailbox_keepers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MailboxAccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    KeeperAccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    AssignedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    AssignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
