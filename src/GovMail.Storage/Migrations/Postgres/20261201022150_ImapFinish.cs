using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovMail.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ImapFinish : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ExpungeLogPrunedModSeq",
                table: "mailboxes",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Full-text search (IMAP SEARCH TEXT/BODY): a tsvector of the folded search text's words (split on anything
            // that is not a letter or digit, so addresses and dotted names are words too), kept by PostgreSQL itself and
            // indexed with GIN. Queries use it as a prefilter and confirm the substring on SearchText.
            migrationBuilder.Sql("""
                ALTER TABLE messages ADD COLUMN search_vector tsvector GENERATED ALWAYS AS
                    (to_tsvector('simple'::regconfig, regexp_replace(coalesce("SearchText", ''), '[^[:alnum:]]+', ' ', 'g'))) STORED;
                CREATE INDEX ix_messages_search_vector ON messages USING GIN (search_vector);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_messages_search_vector; ALTER TABLE messages DROP COLUMN search_vector;");

            migrationBuilder.DropColumn(
                name: "ExpungeLogPrunedModSeq",
                table: "mailboxes");
        }
    }
}
