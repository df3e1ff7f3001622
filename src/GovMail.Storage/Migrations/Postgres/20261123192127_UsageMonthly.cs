using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovMail.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UsageMonthly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "usage_monthly",
                columns: table => new
                {
                    AccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    ActiveDays = table.Column<int>(type: "integer", nullable: false),
                    MailDays = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_monthly", x => new { x.AccountId, x.Month });
                });

            migrationBuilder.CreateIndex(
                name: "IX_usage_monthly_Month",
                table: "usage_monthly",
                column: "Month");

            // Months already folded into daily rows before this table existed: one bit per active day (days are distinct,
            // so their sum is their OR).
            migrationBuilder.Sql("""
                INSERT INTO usage_monthly ("AccountId", "Month", "ActiveDays", "MailDays")
                SELECT "AccountId", (EXTRACT(YEAR FROM "Day") * 100 + EXTRACT(MONTH FROM "Day"))::int,
                    SUM(CASE WHEN "Logins" + "Sent" + "Read" + "Webmail" > 0 THEN 1 << (EXTRACT(DAY FROM "Day")::int - 1) ELSE 0 END),
                    SUM(CASE WHEN "Sent" + "Read" > 0 THEN 1 << (EXTRACT(DAY FROM "Day")::int - 1) ELSE 0 END)
                FROM usage_daily
                GROUP BY 1, 2;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "usage_monthly");
        }
    }
}
