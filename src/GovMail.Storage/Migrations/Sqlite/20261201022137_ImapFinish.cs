using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovMail.Storage.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Full-text search (IMAP SEARCH TEXT/BODY): the folded search text in an FTS5 trigram index, so any substring of
            // three characters or more is found through the index. Contentless: the text stays in messages.SearchText,
            // where the match is confirmed. The keys table gives each message a stable integer rowid for the index.
            migrationBuilder.Sql("""
                CREATE TABLE message_search_keys (search_rowid INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE);
                CREATE VIRTUAL TABLE message_search USING fts5(body, content='', contentless_delete=1, tokenize='trigram');
                CREATE TRIGGER message_search_insert AFTER INSERT ON messages WHEN new.SearchText IS NOT NULL BEGIN
                    INSERT INTO message_search_keys (message_id) VALUES (new.Id);
                    INSERT INTO message_search (rowid, body) VALUES (last_insert_rowid(), new.SearchText);
                END;
                CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
                    DELETE FROM message_search WHERE rowid = (SELECT search_rowid FROM message_search_keys WHERE message_id = old.Id);
                    DELETE FROM message_search_keys WHERE message_id = old.Id;
                END;
                INSERT INTO message_search_keys (message_id) SELECT Id FROM messages WHERE SearchText IS NOT NULL;
                INSERT INTO message_search (rowid, body)
                    SELECT k.search_rowid, m.SearchText FROM message_search_keys k JOIN messages m ON m.Id = k.message_id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER message_search_delete;
                DROP TRIGGER message_search_insert;
                DROP TABLE message_search;
                DROP TABLE message_search_keys;
                """);

            migrationBuilder.DropColumn(
                name: "ExpungeLogPrunedModSeq",
                table: "mailboxes");
        }
    }
}
