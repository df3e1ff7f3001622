using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovMail.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Usage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "governance_decisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Quarter = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    List = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_governance_decisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_governance_decisions_accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "usage_account_summaries",
                columns: table => new
                {
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FirstActiveOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    LastActiveOn = table.Column<DateOnly>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_account_summaries", x => x.AccountId);
                });

            migrationBuilder.CreateTable(
                name: "usage_daily",
                columns: table => new
                {
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Logins = table.Column<int>(type: "INTEGER", nullable: false),
                    FailedLogins = table.Column<int>(type: "INTEGER", nullable: false),
                    Sent = table.Column<int>(type: "INTEGER", nullable: false),
                    Received = table.Column<int>(type: "INTEGER", nullable: false),
                    Read = table.Column<int>(type: "INTEGER", nullable: false),
                    Webmail = table.Column<int>(type: "INTEGER", nullable: false),
                    Protocols = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_daily", x => new { x.AccountId, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "usage_exemptions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    From = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    To = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_exemptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_usage_exemptions_accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "usage_fold_state",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    LastEventId = table.Column<long>(type: "INTEGER", nullable: false),
                    FoldedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_fold_state", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "usage_policies",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkingDaysPerActiveDay = table.Column<int>(type: "INTEGER", nullable: false),
                    RequireSentOrRead = table.Column<bool>(type: "INTEGER", nullable: false),
                    MonthlyHeadRule = table.Column<bool>(type: "INTEGER", nullable: false),
                    NonUseLockDays = table.Column<int>(type: "INTEGER", nullable: true),
                    EventRetentionMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    ExtraDaysOff = table.Column<string>(type: "TEXT", nullable: false),
                    ExtraWorkingDays = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_policies", x => x.TenantId);
                    table.ForeignKey(
                        name: "FK_usage_policies_tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "usage_reminders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Period = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    SentBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_reminders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_usage_reminders_accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "usage_fold_state",
                columns: new[] { "Id", "FoldedAt", "LastEventId" },
                values: new object[] { 1, null, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_governance_decisions_AccountId",
                table: "governance_decisions",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_governance_decisions_Quarter_List_AccountId",
                table: "governance_decisions",
                columns: new[] { "Quarter", "List", "AccountId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_usage_daily_Day",
                table: "usage_daily",
                column: "Day");

            migrationBuilder.CreateIndex(
                name: "IX_usage_exemptions_AccountId_From",
                table: "usage_exemptions",
                columns: new[] { "AccountId", "From" });

            migrationBuilder.CreateIndex(
                name: "IX_usage_reminders_AccountId_At",
                table: "usage_reminders",
                columns: new[] { "AccountId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_usage_reminders_At",
                table: "usage_reminders",
                column: "At");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "governance_decisions");

            migrationBuilder.DropTable(
                name: "usage_account_summaries");

            migrationBuilder.DropTable(
                name: "usage_daily");

            migrationBuilder.DropTable(
                name: "usage_exemptions");

            migrationBuilder.DropTable(
                name: "usage_fold_state");

            migrationBuilder.DropTable(
                name: "usage_policies");

            migrationBuilder.DropTable(
                name: "usage_reminders");
        }
    }
}
