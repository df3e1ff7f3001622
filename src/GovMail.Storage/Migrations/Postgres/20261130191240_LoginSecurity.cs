using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GovMail.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LoginSecurity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing tenants get the same lockout rule as new ones (LoginLockoutPolicy's defaults).
            migrationBuilder.AddColumn<int>(
                name: "lockout_delay_cap_seconds",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.AddColumn<int>(
                name: "lockout_max_failed_logins",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.AddColumn<int>(
                name: "lockout_minutes",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 30);

            migrationBuilder.AddColumn<int>(
                name: "lockout_window_minutes",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 15);

            migrationBuilder.AddColumn<string>(
                name: "Hash",
                table: "audit",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousHash",
                table: "audit",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LockedUntil",
                table: "accounts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "login_failures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    User = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    AccountId = table.Column<Guid>(type: "uuid", nullable: true),
                    RemoteAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Protocol = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_login_failures", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_PreviousHash",
                table: "audit",
                column: "PreviousHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_login_failures_AccountId_At",
                table: "login_failures",
                columns: new[] { "AccountId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_login_failures_At",
                table: "login_failures",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_login_failures_RemoteAddress_At",
                table: "login_failures",
                columns: new[] { "RemoteAddress", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "login_failures");

            migrationBuilder.DropIndex(
                name: "IX_audit_PreviousHash",
                table: "audit");

            migrationBuilder.DropColumn(
                name: "lockout_delay_cap_seconds",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "lockout_max_failed_logins",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "lockout_minutes",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "lockout_window_minutes",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "Hash",
                table: "audit");

            migrationBuilder.DropColumn(
                name: "PreviousHash",
                table: "audit");

            migrationBuilder.DropColumn(
                name: "LockedUntil",
                table: "accounts");
        }
    }
}
