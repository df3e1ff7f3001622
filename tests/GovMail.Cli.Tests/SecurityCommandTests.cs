using GovMail.Cli.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Cli.Tests;

/// <summary>Issue 6 on the command line: first-login deadlines per batch, the overdue lock, lockout policy, the audit log.</summary>
public sealed class SecurityCommandTests
{
    private const string Unit = "Phòng Nghệ thuật";
    private const string Tam = "lvtam@tphcm.gov.vn";

    [Fact]
    public async Task A_batch_deadline_or_window_overrides_the_tenants_default()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();

        var byDate = (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", Unit,
            "--first-login-deadline", "10/03/2026", "--json")).Ok().Json;
        var byDays = (await data.RunAsync("account", "add", "--name", "Trần Thị Nga", "--unit", Unit, "--first-login-days", "7", "--json")).Ok().Json;
        var byDefault = (await data.RunAsync("account", "add", "--name", "Phạm Văn Đức", "--unit", Unit, "--json")).Ok().Json;

        // The end of the day in Vietnam (UTC+7); the clock reads Monday 02/03/2026.
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 16, 59, 59, TimeSpan.Zero), byDate.GetProperty("passwordChangeDeadline").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 16, 59, 59, TimeSpan.Zero), byDays.GetProperty("passwordChangeDeadline").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 16, 59, 59, TimeSpan.Zero), byDefault.GetProperty("passwordChangeDeadline").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("--first-login-deadline", "31/02/2026")]
    [InlineData("--first-login-deadline", "01/03/2026")]
    [InlineData("--first-login-deadline", "mai")]
    [InlineData("--first-login-days", "0")]
    [InlineData("--first-login-days", "ba")]
    public async Task A_bad_first_login_deadline_is_refused_and_issues_nothing(string option, string value)
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();

        (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", Unit, option, value)).Refused(2);

        (await data.RunAsync("account", "show", Tam)).Refused(1);
    }

    [Fact]
    public async Task A_date_and_a_number_of_days_together_are_refused()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();

        var both = await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", Unit,
            "--first-login-deadline", "10/03/2026", "--first-login-days", "3");

        both.Refused(2);
        Assert.Contains("--first-login-days", both.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lock_overdue_locks_accounts_past_their_deadline_and_unlock_issues_a_new_temporary_password()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", Unit)).Ok();
        (await data.RunAsync("account", "add", "lvnam", "--name", "Lê Văn Năm", "--unit", Unit, "--first-login-deadline", "31/03/2026")).Ok();
        var later = new FixedClock(FixedClock.Monday.AddDays(5));

        var run = (await DataFolder.RunInAsync(data.Path, later, "account", "lock-overdue", "--json")).Ok().Json;

        var locked = run.GetProperty("locked").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(Tam, locked);
        Assert.DoesNotContain("lvnam@tphcm.gov.vn", locked);
        var shown = (await DataFolder.RunInAsync(data.Path, later, "account", "show", Tam, "--json")).Ok().Json;
        Assert.Equal(("locked", "first-login-deadline-missed"), (shown.GetProperty("state").GetString(), shown.GetProperty("lockReason").GetString()));
        var text = (await DataFolder.RunInAsync(data.Path, later, "account", "show", Tam)).Ok().Out;
        Assert.Contains("quá hạn đổi mật khẩu lần đầu", text, StringComparison.Ordinal);
        // Running it again finds nothing more to do.
        Assert.Empty((await DataFolder.RunInAsync(data.Path, later, "account", "lock-overdue", "--json")).Ok().Json.GetProperty("locked").EnumerateArray());

        var unlocked = (await DataFolder.RunInAsync(data.Path, later, "account", "unlock", Tam, "--json")).Ok().Json;
        Assert.Equal("pending-first-login", unlocked.GetProperty("state").GetString());
        Assert.False(string.IsNullOrEmpty(unlocked.GetProperty("temporaryPassword").GetString()));
        Assert.True(unlocked.GetProperty("passwordChangeDeadline").GetDateTimeOffset() > later.GetUtcNow());
    }

    [Fact]
    public async Task Account_show_gives_an_administrator_the_cause_and_end_of_a_failed_login_lock()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", Unit)).Ok();
        (await data.RunAsync("policy", "set", "--failed-login-delay-cap-seconds", "0")).Ok();
        var logins = new Storage.Security.LoginService(new Storage.Database.GovMailDatabase(Storage.Database.DatabaseSettings.SqliteIn(data.Path)), data.Clock);
        for (var i = 0; i < 10; i++)
            await logins.LogInAsync(new Storage.Security.LoginAttempt(Tam, "Sai-Mật-Khẩu#" + i, Core.Usage.UsageProtocol.Imap, "203.0.113.9"));

        var shown = (await data.RunAsync("account", "show", Tam)).Ok().Out;

        // 09:00 in Vietnam plus the default 30 minutes.
        Assert.Contains("locked (too-many-failed-logins) đến 02/03/2026 09:30", shown, StringComparison.Ordinal);
        Assert.Contains("đăng nhập sai quá nhiều lần", shown, StringComparison.Ordinal);
        var json = (await data.RunAsync("account", "show", Tam, "--json")).Ok().Json;
        Assert.Equal("too-many-failed-logins", json.GetProperty("lockReason").GetString());
    }

    [Fact]
    public async Task The_lockout_policy_can_be_shown_and_set_and_bad_values_are_refused()
    {
        using var data = new DataFolder();
        await data.InitAsync();

        (await data.RunAsync("policy", "set", "--max-failed-logins", "5", "--lockout-minutes", "60")).Ok();
        var lockout = (await data.RunAsync("policy", "show", "--json")).Ok().Json.GetProperty("lockout");

        Assert.Equal((5, 15, 60, 10), (lockout.GetProperty("maxFailedLogins").GetInt32(), lockout.GetProperty("windowMinutes").GetInt32(),
            lockout.GetProperty("lockoutMinutes").GetInt32(), lockout.GetProperty("delayCapSeconds").GetInt32()));
        (await data.RunAsync("policy", "set", "--lockout-minutes", "0")).Refused(1);
        (await data.RunAsync("policy", "set", "--failed-login-delay-cap-seconds", "nhiều")).Refused(2);
    }

    [Fact]
    public async Task Audit_verify_passes_on_an_untouched_log_and_names_the_entry_changed_in_the_database()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", Unit)).Ok();
        (await data.RunAsync("account", "lock", Tam, "--reason", "kiểm tra")).Ok();
        Assert.True((await data.RunAsync("audit", "verify", "--json")).Ok().Json.GetProperty("intact").GetBoolean());

        var entries = (await data.RunAsync("audit", "list", "--account", Tam, "--json")).Ok().Json.EnumerateArray().ToList();
        Assert.Equal(["account.add", "account.lock"], entries.Select(e => e.GetProperty("action").GetString()));
        var lockId = entries[1].GetProperty("id").GetInt64();
        using (var db = data.OpenDatabase())
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE audit SET \"Actor\" = {"someone-else"} WHERE \"Id\" = {lockId}");

        var verify = await data.RunAsync("audit", "verify");

        verify.Refused(1);
        Assert.Contains($"#{lockId}", verify.Err, StringComparison.Ordinal);
        Assert.Contains("account.lock", verify.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_list_filters_by_day_and_refuses_a_bad_date()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await DataFolder.RunInAsync(data.Path, new FixedClock(FixedClock.Monday.AddDays(3)), "account", "add", Tam, "--name", "Lê Văn Tám", "--unit", Unit)).Ok();

        var since = (await data.RunAsync("audit", "list", "--since", "05/03/2026", "--json")).Ok().Json.EnumerateArray().ToList();

        Assert.Equal("account.add", Assert.Single(since).GetProperty("action").GetString());
        Assert.True((await data.RunAsync("audit", "list", "--json")).Ok().Json.GetArrayLength() > 1);
        (await data.RunAsync("audit", "list", "--since", "hôm qua")).Refused(2);
    }
}
