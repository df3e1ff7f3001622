using GovMail.Core.Accounts;
using GovMail.Core.Lifecycle;
using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Lifecycle;
using GovMail.Storage.Mail;
using GovMail.Storage.Tests.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Lifecycle;

/// <summary>Transfer, retirement and cancellation end to end in the store, with the scheduled half run on a moved clock.</summary>
public abstract class LifecycleWorkflowTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string Culture = "Sở Văn hóa và Thể thao";
    private const string Art = "Sở Văn hóa và Thể thao / Phòng Nghệ thuật";
    private const string Tourism = "Sở Du lịch";
    private const string Thinh = "ldthinh@tphcm.gov.vn";
    private const string UnitMailbox = "pnt@tphcm.gov.vn";
    private const string Tuan = "vatuan@tphcm.gov.vn";

    private LifecycleWorkflows Workflows => new(Database, Test.Clock, Test.Hasher);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddUnitAsync(Culture);
        await AddUnitAsync("Phòng Nghệ thuật", Culture);
        await AddUnitAsync(Tourism);
        await AddAccountAsync("Lê Đức Thịnh", Art, Thinh);
        await AddAccountAsync("Võ Anh Tuấn", Art, Tuan);
        Ok(await Accounts.AddAsync(new NewAccount("Phòng Nghệ thuật", Art) { Address = UnitMailbox, Kind = AccountKind.Collective }, Admin));
    }

    private void MoveClockTo(int year, int month, int day, int hour = 9) =>
        Test.Clock.SetUtcNow(new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.FromHours(7)).ToUniversalTime());

    [Fact]
    public async Task A_transfer_moves_the_mailbox_to_the_new_agency_and_keeps_the_old_address_as_an_alias_until_the_date()
    {
        var before = await StoredAsync(Thinh);

        var result = Ok(await Workflows.TransferAsync(new TransferRequest(Thinh, Tourism)
        {
            NewAddress = "ldthinh.sdl", KeepOldAddressUntil = new DateOnly(2026, 8, 31), Reason = "QĐ 123/QĐ-UBND",
        }, Admin));

        Assert.Equal("ldthinh.sdl@tphcm.gov.vn", result.Account.Address);
        Assert.Equal(Tourism, result.View.AgencyName);
        var moved = await StoredAsync("ldthinh.sdl@tphcm.gov.vn");
        Assert.Equal(before.Id, moved.Id);
        Assert.Equal(before.PasswordHash, moved.PasswordHash);
        Assert.Equal(moved.Id, Assert.Single(await AddressBook.ResolveRecipientsAsync(Thinh)).Id);
        Assert.Equal(["issue", "transfer", "rename"], (await HistoryAsync(moved.Address)).Select(h => h.Event));
        Assert.Single(await AuditAsync("account.transfer", Thinh));
        Assert.Single(await AuditAsync("account.rename", moved.Address));
        await using (var db = Database.Open())
            Assert.True(await db.Mailboxes.AnyAsync(m => m.AccountId == moved.Id));

        MoveClockTo(2026, 8, 31, 23);
        Assert.Empty(await Workflows.RunDueAsync());
        MoveClockTo(2026, 9, 1, 0);
        var done = await Workflows.RunDueAsync();

        Assert.Equal([new ScheduledOutcome(Thinh, "alias-expired")], done);
        Assert.Empty(await AddressBook.ResolveRecipientsAsync(Thinh));
        Assert.Single(await AuditAsync("alias.expire", Thinh));
    }

    [Fact]
    public async Task A_transfer_to_a_taken_address_or_an_unknown_unit_changes_nothing()
    {
        Refused(await Workflows.TransferAsync(new TransferRequest(Thinh, Tourism) { NewAddress = Tuan }, Admin), "AddressTaken");
        Refused(await Workflows.TransferAsync(new TransferRequest(Thinh, "Sở Không Có") , Admin), "UnitNotFound");

        var stored = await StoredAsync(Thinh);
        Assert.Equal(Art, (await Accounts.FindAsync(Thinh)).Value!.UnitPath);
        Assert.Equal(["issue"], (await HistoryAsync(stored.Address)).Select(h => h.Event));
    }

    [Fact]
    public async Task A_retirement_stops_login_on_the_day_forwards_and_answers_for_the_period_then_closes()
    {
        var result = Ok(await Workflows.DepartAsync(new DepartureRequest(Thinh, LifecycleKind.Retirement)
        {
            Effective = new DateOnly(2026, 6, 1), ForwardDays = 60, Reason = "QĐ nghỉ hưu số 45",
        }, Admin));

        Assert.Equal(UnitMailbox, result.Rule!.ForwardTo);
        Assert.Equal([AccountAction.Disable, AccountAction.Close], result.Scheduled.Select(s => s.Action));
        Assert.Equal(AccountState.PendingFirstLogin, (await StoredAsync(Thinh)).State);
        var routing = new DeliveryRouting(Database, new FileBlobStore(Path.Combine(Path.GetTempPath(), "govmail-tests", Guid.NewGuid().ToString("N"))), Test.Clock);
        Assert.Null((await routing.RouteAsync(await StoredAsync(Thinh), default)).Rule);

        MoveClockTo(2026, 6, 1, 0);
        Assert.Equal([new ScheduledOutcome(Thinh, "disable")], await Workflows.RunDueAsync());

        var thinh = await StoredAsync(Thinh);
        Assert.Equal(AccountState.Disabled, thinh.State);
        Assert.True(await DeliveryRouting.AcceptsAsync(Database, Test.Clock, thinh, default));
        var route = await routing.RouteAsync(thinh, default);
        Assert.True(route.FileHere);
        Assert.Equal(UnitMailbox, Assert.Single(route.Forward).Address);
        var disable = (await HistoryAsync(Thinh)).Single(h => h.Event == "disable");
        Assert.Equal("system", disable.Actor);
        Assert.Contains(Admin, disable.Reason, StringComparison.Ordinal);

        MoveClockTo(2026, 7, 31, 0);
        Assert.Equal([new ScheduledOutcome(Thinh, "close")], await Workflows.RunDueAsync());
        thinh = await StoredAsync(Thinh);
        Assert.Equal(AccountState.Closed, thinh.State);
        Assert.False(await DeliveryRouting.AcceptsAsync(Database, Test.Clock, thinh, default));
        Assert.Equal(["issue", "retire", "disable", "close"], (await HistoryAsync(Thinh)).Select(h => h.Event));
        Assert.Single(await AuditAsync("account.retire", Thinh));
    }

    [Fact]
    public async Task The_automatic_reply_goes_once_to_a_sender_and_never_to_a_bounce()
    {
        Ok(await Workflows.DepartAsync(new DepartureRequest(Thinh, LifecycleKind.Resignation), Admin));
        var blobs = new FileBlobStore(Path.Combine(Path.GetTempPath(), "govmail-tests", Guid.NewGuid().ToString("N")));
        var routing = new DeliveryRouting(Database, blobs, Test.Clock);
        var thinh = await StoredAsync(Thinh);
        var rule = (await routing.RouteAsync(thinh, default)).Rule!;
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "From: Võ Anh Tuấn <vatuan@tphcm.gov.vn>\r\nTo: ldthinh@tphcm.gov.vn\r\nSubject: Hồ sơ\r\nMessage-ID: <a1@tphcm.gov.vn>\r\n\r\nGửi anh.\r\n");

        await routing.AfterDeliveryAsync([(rule, thinh)], Tuan, file, default);
        await routing.AfterDeliveryAsync([(rule, thinh)], Tuan, file, default);
        await routing.AfterDeliveryAsync([(rule, thinh)], "", file, default);

        await using var db = Database.Open();
        var tuan = await StoredAsync(Tuan);
        var replies = await (from mm in db.MailboxMessages join mb in db.Mailboxes on mm.MailboxId equals mb.Id
                             join m in db.Messages on mm.MessageId equals m.Id
                             where mb.AccountId == tuan.Id select m).ToListAsync();
        var reply = Assert.Single(replies);
        Assert.Equal(Thinh, reply.FromAddress);
        Assert.StartsWith("Trả lời tự động", reply.Subject, StringComparison.Ordinal);
        File.Delete(file);
    }

    [Fact]
    public async Task A_departure_without_a_unit_mailbox_or_to_an_unknown_local_address_is_refused()
    {
        await AddAccountAsync("Nguyễn Văn Hải", Tourism, "nvhai@tphcm.gov.vn");

        Refused(await Workflows.DepartAsync(new DepartureRequest("nvhai@tphcm.gov.vn", LifecycleKind.Retirement), Admin), "NoUnitMailbox");
        Refused(await Workflows.DepartAsync(new DepartureRequest(Thinh, LifecycleKind.Retirement) { ForwardTo = "khongco@tphcm.gov.vn" }, Admin),
            "ForwardTargetUnknown");
        Assert.Equal(AccountState.PendingFirstLogin, (await StoredAsync(Thinh)).State);
    }

    [Fact]
    public async Task A_cancellation_closes_keeps_the_data_for_the_retention_then_purges_and_quarantines_the_address()
    {
        var result = Ok(await Workflows.CancelAsync(new CancelRequest(Thinh) { Reason = "ít sử dụng 2 quý liên tiếp" }, Admin));

        Assert.Equal(AccountState.Closed, (await StoredAsync(Thinh)).State);
        Assert.Equal(Test.Clock.GetUtcNow().AddDays(365), result.KeptUntil);
        Refused(await Accounts.AddAsync(new NewAccount("Lê Đức Thịnh", Art) { Address = Thinh }, Admin), "AddressQuarantined");
        Assert.Single(await AuditAsync("account.cancel", Thinh));

        Test.Clock.Advance(TimeSpan.FromDays(364));
        Assert.Empty(await Workflows.RunDueAsync());
        Test.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal([new ScheduledOutcome(Thinh, "purge")], await Workflows.RunDueAsync());

        var purged = await StoredAsync(Thinh);
        Assert.Equal(AccountState.Purged, purged.State);
        await using var db = Database.Open();
        Assert.False(await db.Mailboxes.AnyAsync(m => m.AccountId == purged.Id));
        Refused(await Accounts.AddAsync(new NewAccount("Lê Đức Thịnh", Art) { Address = Thinh }, Admin), "AddressQuarantined");
    }
}

public sealed class LifecycleWorkflowTestsOnSqlite() : LifecycleWorkflowTests(DatabaseProvider.Sqlite);

public sealed class LifecycleWorkflowTestsOnPostgres() : LifecycleWorkflowTests(DatabaseProvider.Postgres);
