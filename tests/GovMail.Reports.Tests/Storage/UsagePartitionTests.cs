using GovMail.Core.Usage;
using GovMail.Reports.Tests.Support;
using GovMail.Storage.Database;
using GovMail.Storage.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace GovMail.Reports.Tests.Storage;

/// <summary>
/// On PostgreSQL, raw usage events are partitioned by local month (docs/scale-out.md): a month's partition is made ahead or
/// on demand, events of a month without one wait in the default partition and move in when it is made, and pruning drops
/// whole folded months.
/// </summary>
public sealed class UsagePartitionTests() : UsageTest(DatabaseProvider.Postgres)
{
    private const string Thinh = "ldthinh@tphcm.gov.vn";
    private const string Tuan = "vatuan@tphcm.gov.vn";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await UnitAsync("Sở Văn hóa và Thể thao");
        await PersonAsync(Thinh, "Lê Đức Thịnh", "Sở Văn hóa và Thể thao");
        await PersonAsync(Tuan, "Võ Anh Tuấn", "Sở Văn hóa và Thể thao");
    }

    [Fact]
    public async Task Events_of_a_month_without_a_partition_wait_in_the_default_one_and_move_in_when_it_is_made()
    {
        await EventsAsync((Thinh, Local(2024, 3, 4), UsageKind.Login), (Thinh, Local(2024, 3, 31, 23, 59), UsageKind.Read),
            (Tuan, Local(2024, 4, 1, 0, 0), UsageKind.Login));
        Assert.Equal(["usage_events_default", "usage_events_default", "usage_events_default"], await PartitionsOfEventsAsync());

        await using (var db = Database.Open())
        {
            // March to July 2024 (the test clock's month), in local months: the last minute of March stays in March.
            Assert.Equal(5, await UsageEventPartitions.EnsureAsync(db, Local(2024, 3, 1), Local(2024, 7, 10)));
            Assert.Equal(0, await UsageEventPartitions.EnsureAsync(db, Local(2024, 3, 1), Local(2024, 7, 10)));
        }
        Assert.Equal(["usage_events_y2024m03", "usage_events_y2024m03", "usage_events_y2024m04"], await PartitionsOfEventsAsync());
        Assert.Equal(3, (await Folder.FoldAsync()).EventsFolded);
    }

    [Fact]
    public async Task Pruning_drops_whole_folded_months_and_deletes_the_rest_row_by_row()
    {
        await using (var db = Database.Open())
            await UsageEventPartitions.EnsureAsync(db, Local(2024, 1, 1), Local(2024, 7, 10));
        // The clock is at 10/07/2024: with 3 months' retention, events before 10/04/2024 may go once folded.
        await EventsAsync((Thinh, Local(2024, 1, 10), UsageKind.Login), (Thinh, Local(2024, 2, 10), UsageKind.Login),
            (Thinh, Local(2024, 4, 5), UsageKind.Login));
        await Folder.FoldAsync();
        await EventsAsync((Tuan, Local(2024, 3, 11), UsageKind.Login), (Thinh, Local(2024, 6, 10), UsageKind.Login));

        // January and February go whole; March keeps Tuấn's event, not yet folded; April is cut inside, row by row.
        Assert.Equal(3, await Folder.PruneAsync(3));
        var months = await MonthlyPartitionsAsync();
        Assert.DoesNotContain("usage_events_y2024m01", months);
        Assert.DoesNotContain("usage_events_y2024m02", months);
        Assert.Contains("usage_events_y2024m03", months);
        Assert.Equal(["usage_events_y2024m03", "usage_events_y2024m06"], await PartitionsOfEventsAsync());

        await Folder.FoldAsync();
        Assert.Equal(5, await DailyRowCountAsync());
    }

    [Fact]
    public async Task Migrating_moves_existing_events_into_monthly_partitions_and_keeps_their_ids()
    {
        // Back to the schema before partitioning, with events in it, and forward again.
        await using (var db = Database.Open())
            await db.GetService<IMigrator>().MigrateAsync("ClusterWebKeyRing");
        await EventsAsync((Thinh, Local(2024, 5, 2), UsageKind.Login), (Tuan, Local(2024, 6, 3), UsageKind.Read));
        long[] before;
        await using (var db = Database.Open())
            before = await db.UsageEvents.OrderBy(e => e.Id).Select(e => e.Id).ToArrayAsync();

        await Database.MigrateAsync();

        Assert.Equal(["usage_events_y2024m05", "usage_events_y2024m06"], await PartitionsOfEventsAsync());
        await EventsAsync((Thinh, Local(2024, 7, 9), UsageKind.Login));
        await using (var db = Database.Open())
        {
            var after = await db.UsageEvents.OrderBy(e => e.Id).Select(e => e.Id).ToArrayAsync();
            Assert.Equal(before, after[..2]);
            Assert.True(after[2] > before[1], "a new event's id comes after the moved ones");
        }
        Assert.Equal(3, (await Folder.FoldAsync()).EventsFolded);
    }

    private async Task<List<string>> PartitionsOfEventsAsync()
    {
        await using var db = Database.Open();
        return await db.Database.SqlQueryRaw<string>(
            """SELECT tableoid::regclass::text AS "Value" FROM usage_events ORDER BY "At" """).ToListAsync();
    }

    private async Task<List<string>> MonthlyPartitionsAsync()
    {
        await using var db = Database.Open();
        return await db.Database.SqlQueryRaw<string>("""
            SELECT c.relname AS "Value" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'usage_events'::regclass
            """).ToListAsync();
    }

    private async Task<int> DailyRowCountAsync()
    {
        await using var db = Database.Open();
        return await db.UsageDays.CountAsync();
    }
}
