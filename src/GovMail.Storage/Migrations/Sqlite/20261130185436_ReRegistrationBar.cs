using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovMail.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReRegistrationBar : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReminderDay",
                table: "usage_policies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ReminderPerQuarter",
                table: "usage_policies",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "job_leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    NextRunAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LeasedUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    LastStartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastFinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_leases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "reregistration_bars",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NameKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StaffNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    UnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Quarter = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    LiftedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LiftedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    LiftReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reregistration_bars", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_reregistration_bars_AccountId_Quarter",
                table: "reregistration_bars",
                columns: new[] { "AccountId", "Quarter" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_reregistration_bars_Address",
                table: "reregistration_bars",
                column: "Address");

            migrationBuilder.CreateIndex(
                name: "IX_reregistration_bars_NameKey",
                table: "reregistration_bars",
                column: "NameKey");

            migrationBuilder.CreateIndex(
                name: "IX_reregistration_bars_StaffNumber",
                table: "reregistration_bars",
                column: "StaffNumber");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "job_leases");

            migrationBuilder.DropTable(
                name: "reregistration_bars");

            migrationBuilder.DropColumn(
                name: "ReminderDay",
                table: "usage_policies");

            migrationBuilder.DropColumn(
                name: "ReminderPerQuarter",
                table: "usage_policies");
        }
    }
}
