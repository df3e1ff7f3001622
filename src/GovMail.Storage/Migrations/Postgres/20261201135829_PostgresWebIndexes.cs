using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovMail.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PostgresWebIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The webmail's search of a large folder (docs/performance.md, "PostgreSQL: what was changed"): a trigram index
            // of the folded search text answers LIKE '%text%' for any substring of three characters or more, exactly (the
            // index's candidates are rechecked), where the word index (search_vector) can only narrow by whole words.
            // pg_trgm ships with PostgreSQL (Debian's postgresql package, the official images) and is a trusted extension.
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX ix_messages_search_text_trgm ON messages USING GIN ("SearchText" gin_trgm_ops);
                """);
            // The list of a folder leaves out what is marked \Deleted, ("Flags" & 8) = 0, which PostgreSQL's planner guesses
            // holds for 0.5 % of the rows: it read the whole table and sorted. The folder's live messages in UID order, their
            // flags in the index, are counted and paged from this index alone.
            // Statistics of the flag tests the list and search write ((Flags & 1) = 0 unread, & 4 flagged, & 8 deleted), so
            // the planner knows nearly every row is live (expression statistics: PostgreSQL 14 and later).
            migrationBuilder.Sql("""
                CREATE INDEX ix_mailbox_messages_live ON mailbox_messages ("MailboxId", "Uid") INCLUDE ("Flags") WHERE ("Flags" & 8) = 0;
                DO $$ BEGIN
                    IF current_setting('server_version_num')::int >= 140000 THEN
                        EXECUTE 'CREATE STATISTICS st_mailbox_messages_flags ON ("Flags" & 1), ("Flags" & 4), ("Flags" & 8) FROM mailbox_messages';
                    END IF;
                END $$;
                ANALYZE mailbox_messages;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP STATISTICS IF EXISTS st_mailbox_messages_flags; DROP INDEX ix_mailbox_messages_live; DROP INDEX ix_messages_search_text_trgm;");
        }
    }
}
