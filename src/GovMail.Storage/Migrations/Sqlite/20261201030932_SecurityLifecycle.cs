using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovMail.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SecurityLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ExpiresAt",
                table: "aliases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "admin_roles",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    ScopeUnitId = table.Column<Guid>(type: "TEXT", nullable: true),
                    GrantedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    GrantedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_admin_roles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_admin_roles_accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_admin_roles_units_ScopeUnitId",
                        column: x => x.ScopeUnitId,
                        principalTable: "units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "admin_totp",
                columns: table => new
                {
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProtectedSecret = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    EnrolledAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConfirmedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastUsedStep = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_admin_totp", x => x.AccountId);
                    table.ForeignKey(
                        name: "FK_admin_totp_accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "delivery_rules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ForwardTo = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    KeepCopy = table.Column<bool>(type: "INTEGER", nullable: false),
                    AutoReplySubject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    AutoReplyBody = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_delivery_rules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_delivery_rules_accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "scheduled_account_actions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DoneAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scheduled_account_actions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_scheduled_account_actions_accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "auto_replies_sent",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RuleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sender = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_auto_replies_sent", x => x.Id);
                    table.ForeignKey(
                        name: "FK_auto_replies_sent_delivery_rules_RuleId",
                        column: x => x.RuleId,
                        principalTable: "delivery_rules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_aliases_ExpiresAt",
                table: "aliases",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_admin_roles_AccountId_Role_ScopeUnitId",
                table: "admin_roles",
                columns: new[] { "AccountId", "Role", "ScopeUnitId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_admin_roles_ScopeUnitId",
                table: "admin_roles",
                column: "ScopeUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_auto_replies_sent_RuleId_Sender_At",
                table: "auto_replies_sent",
                columns: new[] { "RuleId", "Sender", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_delivery_rules_AccountId_EndsAt",
                table: "delivery_rules",
                columns: new[] { "AccountId", "EndsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_delivery_rules_EndsAt",
                table: "delivery_rules",
                column: "EndsAt");

            migrationBuilder.CreateIndex(
                name: "IX_scheduled_account_actions_AccountId",
                table: "scheduled_account_actions",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_scheduled_account_actions_DoneAt_DueAt",
                table: "scheduled_account_actions",
                columns: new[] { "DoneAt", "DueAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "admin_roles");

            migrationBuilder.DropTable(
                name: "admin_totp");

            migrationBuilder.DropTable(
                name: "auto_replies_sent");

            migrationBuilder.DropTable(
                name: "scheduled_account_actions");

            migrationBuilder.DropTable(
                name: "delivery_rules");

            migrationBuilder.DropIndex(
                name: "IX_aliases_ExpiresAt",
                table: "aliases");

            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "aliases");
        }
    }
}
