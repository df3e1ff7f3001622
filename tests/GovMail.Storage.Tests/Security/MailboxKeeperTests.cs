using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Security;
using GovMail.Storage.Tests.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Security;

/// <summary>
/// Keepers of a unit's collective mailbox (issue 6, item 6): assigned by an administrator, they open the mailbox with their
/// own password as MAILBOX*KEEPER or through the SASL authorization identity; the login counts for the mailbox, names the
/// keeper, and is audited; anyone else, or a locked mailbox, is refused.
/// </summary>
public abstract class MailboxKeeperTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string Unit = "Sở Nội vụ";
    private const string Office = "vanphong.snv@tphcm.gov.vn";
    private const string Lan = "lan@tphcm.gov.vn";
    private const string Minh = "minh@tphcm.gov.vn";
    private const string LanPassword = "Sen-Hồng-Tháp-Mười-2026";
    private const string MinhPassword = "Mai-Vàng-Bến-Nghé-2026";

    private MailboxKeepers Keepers => new(Database, Test.Clock);
    private LoginService Logins => new(Database, Test.Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddUnitAsync(Unit);
        Ok(await Accounts.AddAsync(new NewAccount("Văn phòng Sở Nội vụ", Unit) { Address = Office, Kind = AccountKind.Collective }, Admin));
        Ok(await Accounts.AddAsync(new NewAccount("Nguyễn Thị Lan", Unit) { Address = Lan, Password = LanPassword, MustChangePassword = false }, Admin));
        Ok(await Accounts.AddAsync(new NewAccount("Lê Văn Minh", Unit) { Address = Minh, Password = MinhPassword, MustChangePassword = false }, Admin));
    }

    private Task<LoginResult> LogInAsync(string user, string password, string? authorizationId = null) =>
        Logins.LogInAsync(new LoginAttempt(user, password, UsageProtocol.Imap, "192.0.2.10") { For = authorizationId });

    [Fact]
    public async Task A_keeper_opens_the_unit_mailbox_with_their_own_password_and_the_login_is_attributed_to_them()
    {
        var assigned = Ok(await Keepers.AssignAsync(Office, Lan, Admin));
        Assert.Equal((Office, Lan, "Nguyễn Thị Lan"), (assigned.Mailbox, assigned.Keeper, assigned.KeeperName));
        Assert.Single(await AuditAsync("mailbox.keeper.assign", Office));

        foreach (var result in new[] { await LogInAsync($"{Office}*{Lan}", LanPassword), await LogInAsync(Lan, LanPassword, Office),
                     await LogInAsync("vanphong.snv*lan", LanPassword) })
        {
            Assert.Equal(LoginOutcome.Ok, result.Outcome);
            Assert.Equal(Office, result.Account!.Address);
            Assert.Equal(Lan, result.Keeper!.Address);
        }

        await using var db = Database.Open();
        var lan = await db.Accounts.AsNoTracking().SingleAsync(a => a.Address == Lan);
        var officeLogins = await db.UsageEvents.AsNoTracking().Where(e => e.Address == Office && e.Kind == UsageKind.Login).ToListAsync();
        Assert.Equal(3, officeLogins.Count);
        Assert.All(officeLogins, e => Assert.Equal(lan.Id, e.KeeperAccountId));
        // The keeper logged in too, as themself.
        Assert.Equal(3, await db.UsageEvents.CountAsync(e => e.Address == Lan && e.Kind == UsageKind.Login && e.KeeperAccountId == null));
        var audit = await AuditAsync("mailbox.keeper.login", Office);
        Assert.Equal(3, audit.Count);
        Assert.All(audit, a => Assert.Equal((Lan, "imap 192.0.2.10"), (a.Actor, a.Detail)));
        Assert.NotNull((await StoredAsync(Office)).LastLoginAt);
    }

    [Fact]
    public async Task Someone_who_is_not_a_keeper_is_refused_with_the_reason_and_a_wrong_password_stays_a_wrong_password()
    {
        Ok(await Keepers.AssignAsync(Office, Lan, Admin));

        var notKeeper = await LogInAsync($"{Office}*{Minh}", MinhPassword);
        Assert.Equal(LoginOutcome.NotKeeper, notKeeper.Outcome);
        Assert.Contains($"Tài khoản {Minh} không được giao quản lý hộp thư {Office}", notKeeper.Refusal("https://mail.example/"));
        Assert.Contains($"Account {Minh} does not keep the mailbox {Office}", notKeeper.Refusal("https://mail.example/"));
        // Another person's mailbox is no collective mailbox: refused the same way.
        Assert.Equal(LoginOutcome.NotKeeper, (await LogInAsync($"{Minh}*{Lan}", LanPassword)).Outcome);

        var wrong = await LogInAsync($"{Office}*{Lan}", "Sai-Mật-Khẩu#1");
        Assert.Equal(LoginOutcome.WrongCredentials, wrong.Outcome);
        await using var db = Database.Open();
        Assert.Equal(1, await db.LoginFailures.CountAsync(f => f.User == Lan));
        Assert.Equal(0, await db.UsageEvents.CountAsync(e => e.Address == Office && e.Kind == UsageKind.Login));
        Assert.Empty(await AuditAsync("mailbox.keeper.login", Office));
    }

    [Fact]
    public async Task A_locked_unit_mailbox_or_a_removed_keeper_cannot_get_in()
    {
        Ok(await Keepers.AssignAsync(Office, Lan, Admin));
        Ok(await Accounts.ApplyAsync(Office, AccountAction.Lock, Admin, "kiểm tra", LockReason.Administrator));
        Assert.Equal(LoginOutcome.Locked, (await LogInAsync($"{Office}*{Lan}", LanPassword)).Outcome);
        Ok(await Accounts.ApplyAsync(Office, AccountAction.Unlock, Admin, null));
        Assert.Equal(LoginOutcome.Ok, (await LogInAsync($"{Office}*{Lan}", LanPassword)).Outcome);

        Assert.Equal(Lan, Ok(await Keepers.RemoveAsync(Office, Lan, Admin)));
        Assert.Single(await AuditAsync("mailbox.keeper.remove", Office));
        Assert.Equal(LoginOutcome.NotKeeper, (await LogInAsync($"{Office}*{Lan}", LanPassword)).Outcome);
        Assert.Empty(Ok(await Keepers.ListAsync(Office)));
    }

    [Fact]
    public async Task Only_a_person_may_keep_and_only_a_collective_mailbox_is_kept_once_per_keeper()
    {
        Refused(await Keepers.AssignAsync(Minh, Lan, Admin), "KeeperNeedsCollectiveMailbox");
        Refused(await Keepers.AssignAsync(Office, Office, Admin), "KeeperMustBePerson");
        Refused(await Keepers.AssignAsync(Office, "khong-co@tphcm.gov.vn", Admin), "AccountNotFound");
        Ok(await Keepers.AssignAsync(Office, Lan, Admin));
        Ok(await Keepers.AssignAsync(Office, Minh, Admin));
        Refused(await Keepers.AssignAsync(Office, Lan, Admin), "KeeperAlreadyAssigned");
        Refused(await Keepers.RemoveAsync(Office, Admin, Admin), "NotKeeper");

        Assert.Equal([Lan, Minh], Ok(await Keepers.ListAsync(Office)).Select(k => k.Keeper));
        // Listed by keeper too.
        Assert.Equal([Office], Ok(await Keepers.ListAsync(Minh)).Select(k => k.Mailbox));
        Assert.Equal(2, Ok(await Keepers.ListAsync(null)).Count);
    }
}

public sealed class MailboxKeeperTestsOnSqlite() : MailboxKeeperTests(DatabaseProvider.Sqlite);

public sealed class MailboxKeeperTestsOnPostgres() : MailboxKeeperTests(DatabaseProvider.Postgres);
