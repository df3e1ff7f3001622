using GovMail.Core.Mail;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using GovMail.Web.Mail;
using GovMail.Web.Tests.Support;
using MimeKit;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Mail;

/// <summary>
/// The list's pages chosen in the folder's own rows (the UID and the sort keys copied at delivery), and a search for a
/// common word in the default order that looks only for the matches up to the page or the count's cap: the same rows as
/// ordering and filtering every message of the folder.
/// </summary>
public sealed class WebmailListPagingTests
{
    private static readonly string[] Senders = ["Phòng Tài chính", "Văn phòng UBND", "Ban Tuyên giáo", "Sở Nội vụ"];

    /// <summary>A folder of 60 letters, subjects and senders repeating (ties broken by the UID), every fifth flagged, a third read, two deleted.</summary>
    private static async Task<(MailboxInfo Inbox, List<(uint Uid, string Subject, string Sender, long Size, MessageFlags Flags)> All)> FillAsync(WebTestSite site)
    {
        var all = new List<(uint, string, string, long, MessageFlags)>();
        for (var i = 0; i < 60; i++)
        {
            var m = new MimeMessage();
            var sender = Senders[i % Senders.Length];
            m.From.Add(i % 7 == 0 ? new MailboxAddress("", $"hop{i % 2}@tphcm.gov.vn") : new MailboxAddress(sender, $"s{i % 4}@tphcm.gov.vn"));
            m.To.Add(MailboxAddress.Parse(An));
            m.Subject = i % 3 == 0 ? $"Công văn số {i % 10} về kế hoạch" : $"Thông báo {(char)('A' + i % 5)} lịch họp";
            m.Body = new TextPart("plain") { Text = new string('x', i * 37) + (i % 2 == 0 ? " kế hoạch năm" : " báo cáo") };
            await site.ReceiveAsync(An, m);
        }
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        var store = new MailStore(site.Database.Database, site.Database.Clock);
        var rows = await site.Queries.FetchAsync(inbox.Id, 1, uint.MaxValue, 1000, content: false);
        var uids = rows.Select(r => r.Uid).ToList();
        await store.StoreFlagsAsync(inbox.Id, [.. uids.Where((_, i) => i % 5 == 0)], new FlagChange(FlagOperation.Add, MessageFlags.Flagged, []), null);
        await store.StoreFlagsAsync(inbox.Id, [.. uids.Where((_, i) => i % 3 == 1)], new FlagChange(FlagOperation.Add, MessageFlags.Seen, []), null);
        await store.StoreFlagsAsync(inbox.Id, [uids[4], uids[33]], new FlagChange(FlagOperation.Add, MessageFlags.Deleted, []), null);
        var items = (await site.Queries.ListPageAsync(inbox.Id, 0, 1000, false)).Items;
        foreach (var item in items)
            all.Add((item.Uid, item.Subject!, item.FromName ?? item.FromAddress!, item.Size, item.Flags));
        return (inbox, all);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Every_page_in_every_order_and_filter_is_the_slice_of_the_whole_folder_ordered(DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        var (inbox, all) = await FillAsync(site);
        Assert.Equal(58, all.Count);
        var list = new MessageList(site.Database.Database, site.Queries);
        foreach (var sort in Enum.GetValues<MessageSort>())
            foreach (var ascending in new[] { false, true })
                foreach (var (unread, flagged) in new[] { (false, false), (true, false), (false, true) })
                {
                    var kept = all.Where(r => (!unread || (r.Flags & MessageFlags.Seen) == 0) && (!flagged || (r.Flags & MessageFlags.Flagged) != 0));
                    var expected = Order(kept, sort, ascending).Select(r => r.Uid).ToList();
                    for (var skip = 0; skip < expected.Count + 7; skip += 7)
                    {
                        var page = await list.ListAsync(inbox.Id, new MessageListRequest(sort, ascending, unread, flagged, null, skip, 7), default);
                        Assert.Equal(expected.Count, page.Total);
                        Assert.False(page.Capped);
                        Assert.Equal(expected.Skip(skip).Take(7), page.Items.Select(i => i.Uid));
                    }
                }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_common_search_newest_first_finds_the_page_and_caps_the_count(DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        var (inbox, _) = await FillAsync(site);
        // The whole set of matches, filtered and ordered in memory (above MaxMatchesInQuery = 0), oldest first and turned
        // around, is the reference.
        var reference = new MessageList(site.Database.Database, site.Queries) { MaxMatchesInQuery = 0 };
        var capped = new MessageList(site.Database.Database, site.Queries) { SearchCountCap = 12 };
        foreach (var search in new[] { "kế hoạch", "KE HOACH", "cong van so", "lich hop", "bao cao", "khong co dau" })
            foreach (var (unread, flagged) in new[] { (false, false), (true, false), (false, true) })
            {
                var whole = await reference.ListAsync(inbox.Id, new MessageListRequest(MessageSort.Date, true, unread, flagged, search, 0, 1000), default);
                whole = whole with { Items = [.. whole.Items.Reverse()] };
                for (var skip = 0; skip < whole.Total + 5; skip += 5)
                {
                    var page = await capped.ListAsync(inbox.Id, new MessageListRequest(MessageSort.Date, false, unread, flagged, search, skip, 5), default);
                    Assert.Equal(whole.Items.Skip(skip).Take(5).Select(i => i.Uid), page.Items.Select(i => i.Uid));
                    // Counted up to the cap, or up to the page when it lies beyond: "more than" when there are more.
                    var counted = Math.Max(12, skip + 5);
                    Assert.Equal(whole.Total > counted, page.Capped);
                    Assert.Equal(Math.Min(whole.Total, counted), page.Total);
                }
            }
        var nothing = await capped.ListAsync(inbox.Id, new MessageListRequest(MessageSort.Date, false, false, false, "không có đâu", 0, 5), default);
        Assert.Equal(0, nothing.Total);
        Assert.Empty(nothing.Items);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task One_lookup_gives_every_match_when_the_index_has_few_candidates_and_the_newest_when_it_has_many(DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        var (inbox, _) = await FillAsync(site);
        var queries = site.Queries;
        foreach (var search in new[] { "ke hoach", "cong van so", "lich hop", "bao cao", "khong co dau" })
        {
            var every = await queries.TextMatchesAsync(inbox.Id, search);
            // A limit above the candidates: every match in the folder, whatever its flags, as TextMatchesAsync finds them.
            var few = await queries.NewestTextMatchesAsync(inbox.Id, search, MessageFlags.Flagged, MessageFlags.Deleted, 1000);
            Assert.NotNull(few);
            Assert.Null(few.Newest);
            Assert.Equal(every.Order(), few.All!.Order());
            // A limit the candidates reach: the newest matches that pass the flags, newest first, up to the limit.
            if (every.Count < 3) continue;
            var kept = (await queries.FetchAsync(inbox.Id, 1, uint.MaxValue, 1000, content: false))
                .Where(r => every.Contains(r.Uid) && (r.Flags & MessageFlags.Deleted) == 0).Select(r => r.Uid).OrderDescending().ToList();
            var many = await queries.NewestTextMatchesAsync(inbox.Id, search, MessageFlags.None, MessageFlags.Deleted, 3);
            Assert.NotNull(many);
            Assert.Null(many.All);
            Assert.Equal(kept.Take(3), many.Newest!);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_search_for_percent_underscore_or_backslash_finds_them_as_typed(DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        foreach (var subject in new[] { "Tăng 50% chỉ tiêu", "Tăng 500 chỉ tiêu", "Tệp bao_cao_q4", "Tệp bao-cao-q4", @"Thư mục C:\luu tru", "Thư mục C:/luu tru" })
        {
            var m = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "Nội dung." } };
            m.From.Add(new MailboxAddress("Văn phòng UBND", "vanphong@tphcm.gov.vn"));
            m.To.Add(MailboxAddress.Parse(An));
            await site.ReceiveAsync(An, m);
        }
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        var list = new MessageList(site.Database.Database, site.Queries);
        foreach (var (search, found) in new[] { ("50% chi", "Tăng 50% chỉ tiêu"), ("bao_cao", "Tệp bao_cao_q4"), (@"c:\luu", @"Thư mục C:\luu tru") })
        {
            var page = await list.ListAsync(inbox.Id, new MessageListRequest(MessageSort.Date, false, false, false, search, 0, 25), default);
            Assert.Equal(1, page.Total);
            Assert.Equal(found, Assert.Single(page.Items).Subject);
        }
    }

    [Fact]
    public async Task The_sort_keys_follow_a_message_copied_or_moved_and_a_long_subject_is_cut_for_sorting_only()
    {
        await using var site = await StartAsync();
        var m = new MimeMessage();
        m.From.Add(new MailboxAddress("Văn phòng UBND", "vanphong@tphcm.gov.vn"));
        m.To.Add(MailboxAddress.Parse(An));
        var longSubject = "Về việc " + string.Join(", ", Enumerable.Repeat("tăng cường kỷ luật, kỷ cương hành chính", 10));
        m.Subject = longSubject;
        m.Body = new TextPart("plain") { Text = "x" };
        var uid = await site.ReceiveAsync(An, m);
        var other = new MimeMessage();
        other.From.Add(new MailboxAddress("", "a@tphcm.gov.vn"));
        other.To.Add(MailboxAddress.Parse(An));
        other.Subject = "Ảnh hội nghị";
        other.Body = new TextPart("plain") { Text = "y" };
        var otherUid = await site.ReceiveAsync(An, other);
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        var archive = await site.MailboxAsync(An, MailboxRole.Archive);
        var store = new MailStore(site.Database.Database, site.Database.Clock);
        Assert.Equal(MailboxOutcome.Done, (await store.CopyAsync(inbox.Id, [uid, otherUid], archive.Id, inbox.AccountId, move: false)).Outcome);
        var trash = await site.MailboxAsync(An, MailboxRole.Trash);
        Assert.Equal(MailboxOutcome.Done, (await store.CopyAsync(inbox.Id, [uid, otherUid], trash.Id, inbox.AccountId, move: true)).Outcome);

        var list = new MessageList(site.Database.Database, site.Queries);
        foreach (var folder in new[] { archive, trash })
        {
            var bySubject = await list.ListAsync(folder.Id, new MessageListRequest(MessageSort.Subject, true, false, false, null, 0, 25), default);
            Assert.Equal([longSubject, "Ảnh hội nghị"], bySubject.Items.Select(i => i.Subject));
            // An empty display name sorts as empty, before any name (COALESCE keeps "", as the list always did).
            var bySender = await list.ListAsync(folder.Id, new MessageListRequest(MessageSort.Sender, true, false, false, null, 0, 25), default);
            Assert.Equal(["a@tphcm.gov.vn", "Văn phòng UBND"], bySender.Items.Select(i => i.FromName is { Length: > 0 } n ? n : i.FromAddress));
        }
        Assert.True(longSubject.Length > MailboxMessage.SortKeyLength);
        Assert.Equal(longSubject[..MailboxMessage.SortKeyLength], MailboxMessage.SortKey(longSubject));
        Assert.Equal("ngắn", MailboxMessage.SortKey("ngắn"));
        Assert.Null(MailboxMessage.SortKey(null));
        var surrogate = new string('a', MailboxMessage.SortKeyLength - 1) + "😀";
        Assert.Equal(MailboxMessage.SortKeyLength - 1, MailboxMessage.SortKey(surrogate + "b")!.Length);
    }

    private static IEnumerable<(uint Uid, string Subject, string Sender, long Size, MessageFlags Flags)> Order(
        IEnumerable<(uint Uid, string Subject, string Sender, long Size, MessageFlags Flags)> rows, MessageSort sort, bool ascending) =>
        (sort, ascending) switch
        {
            (MessageSort.Sender, true) => rows.OrderBy(r => r.Sender, StringComparer.Ordinal).ThenByDescending(r => r.Uid),
            (MessageSort.Sender, false) => rows.OrderByDescending(r => r.Sender, StringComparer.Ordinal).ThenByDescending(r => r.Uid),
            (MessageSort.Subject, true) => rows.OrderBy(r => r.Subject, StringComparer.Ordinal).ThenByDescending(r => r.Uid),
            (MessageSort.Subject, false) => rows.OrderByDescending(r => r.Subject, StringComparer.Ordinal).ThenByDescending(r => r.Uid),
            (MessageSort.Size, true) => rows.OrderBy(r => r.Size).ThenByDescending(r => r.Uid),
            (MessageSort.Size, false) => rows.OrderByDescending(r => r.Size).ThenByDescending(r => r.Uid),
            (_, true) => rows.OrderBy(r => r.Uid),
            _ => rows.OrderByDescending(r => r.Uid),
        };
}
