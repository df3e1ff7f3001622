using GovMail.Core.Accounts;
using GovMail.Core.Lifecycle;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Lifecycle;
using static GovMail.Smtp.Tests.Integration.SmtpHostTestBed;

namespace GovMail.Smtp.Tests.Integration;

/// <summary>
/// A retired official's address over real SMTP: the pipeline consults the delivery rule, so mail is accepted although the
/// login is disabled, kept in the old INBOX, forwarded to the unit mailbox, and the sender gets one automatic reply.
/// </summary>
public sealed class DeliveryRuleTests
{
    private const string UnitMailbox = "vanphong.hopthu@tphcm.gov.vn";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Mail_to_a_retired_official_is_forwarded_to_the_unit_mailbox_and_answered_once(DatabaseProvider provider)
    {
        await using var bed = await StartAsync(provider);
        var added = await bed.Accounts.AddAsync(new NewAccount("Hộp thư Văn phòng Sở", Office)
        {
            Address = UnitMailbox, Kind = AccountKind.Collective, Password = Password, MustChangePassword = false,
        }, Actor);
        Assert.True(added.IsOk, added.Problem?.ToString());
        var retired = await new LifecycleWorkflows(bed.Database, bed.Clock, new PasswordHasher(1024, 1))
            .DepartAsync(new DepartureRequest(Binh, LifecycleKind.Retirement), Actor);
        Assert.True(retired.IsOk, retired.Problem?.ToString());
        Assert.Equal(AccountState.Disabled, retired.Value!.Account.State);

        using (var client = await bed.LogInAsync(An))
        {
            await client.SendAsync(Letter(An, Binh, "Hồ sơ thi đua", "Gửi chị Bình hồ sơ.\r\n"));
            await client.SendAsync(Letter(An, Binh, "Hồ sơ thi đua (bổ sung)", "Bổ sung.\r\n"));
            await client.DisconnectAsync(quit: true);
        }

        Assert.Equal(2, (await bed.InboxAsync(Binh)).Count);
        Assert.Equal(["Hồ sơ thi đua", "Hồ sơ thi đua (bổ sung)"], (await bed.InboxAsync(UnitMailbox)).Select(c => c.Message.Subject));
        var reply = Assert.Single(await bed.InboxAsync(An));
        Assert.Equal(Binh, reply.Message.FromAddress);
        Assert.Contains("Auto-Submitted: auto-replied", reply.Text, StringComparison.Ordinal);
        Assert.Contains(UnitMailbox, reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resigned_official_logs_in_until_the_day_then_is_refused_and_answered_and_forwarded_for_the_period_then_closed()
    {
        await using var bed = await StartAsync();
        var added = await bed.Accounts.AddAsync(new NewAccount("Hộp thư Văn phòng Sở", Office)
        {
            Address = UnitMailbox, Kind = AccountKind.Collective, Password = Password, MustChangePassword = false,
        }, Actor);
        Assert.True(added.IsOk, added.Problem?.ToString());
        var workflows = new LifecycleWorkflows(bed.Database, bed.Clock, new PasswordHasher(1024, 1));
        // The clock stands at 21/05/2026 08:00 in Vietnam; Bình leaves on 25/05 and her mail is forwarded for 30 days.
        var resigned = await workflows.DepartAsync(new DepartureRequest(Binh, LifecycleKind.Resignation)
        {
            Effective = new DateOnly(2026, 5, 25), ForwardDays = 30, Reason = "QĐ 12/QĐ-STTTT",
        }, Actor);
        Assert.True(resigned.IsOk, resigned.Problem?.ToString());

        async Task SendAsync(string subject)
        {
            using var client = await bed.LogInAsync(An);
            await client.SendAsync(Letter(An, Binh, subject, "Gửi chị Bình.\r\n"));
            await client.DisconnectAsync(quit: true);
        }

        // Before the day: Bình still sends, and mail to her is hers alone.
        using (var binh = await bed.LogInAsync(Binh)) await binh.DisconnectAsync(quit: true);
        await SendAsync("Trước ngày nghỉ");
        Assert.Empty(await bed.InboxAsync(UnitMailbox));
        Assert.Empty(await bed.InboxAsync(An));

        bed.Clock.SetUtcNow(new DateTimeOffset(2026, 5, 25, 0, 0, 0, TimeSpan.FromHours(7)));
        Assert.Equal([new ScheduledOutcome(Binh, "disable")], await workflows.RunDueAsync());

        using (var client = await bed.ConnectAsync(SmtpListenerKind.Submission))
        {
            var refused = await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() =>
                client.AuthenticateAsync(new MailKit.Security.SaslMechanismPlain(Binh, Password)));
            Assert.Contains("Account disabled.", refused.Message, StringComparison.Ordinal);
        }
        await SendAsync("Sau ngày nghỉ");
        await SendAsync("Sau ngày nghỉ (lần 2)");
        Assert.Equal(["Trước ngày nghỉ", "Sau ngày nghỉ", "Sau ngày nghỉ (lần 2)"], (await bed.InboxAsync(Binh)).Select(c => c.Message.Subject));
        Assert.Equal(["Sau ngày nghỉ", "Sau ngày nghỉ (lần 2)"], (await bed.InboxAsync(UnitMailbox)).Select(c => c.Message.Subject));
        var reply = Assert.Single(await bed.InboxAsync(An));
        Assert.Equal(Binh, reply.Message.FromAddress);
        Assert.Contains("Auto-Submitted: auto-replied", reply.Text, StringComparison.Ordinal);

        // 30 days after the 25th: the account closes and its address takes no more mail.
        bed.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 24, 0, 0, 0, TimeSpan.FromHours(7)));
        Assert.Equal([new ScheduledOutcome(Binh, "close")], await workflows.RunDueAsync());
        using var late = await bed.LogInAsync(An);
        var closed = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() => late.SendAsync(Letter(An, Binh, "Quá hạn", "Nội dung.\r\n")));
        Assert.Equal(MailKit.Net.Smtp.SmtpErrorCode.RecipientNotAccepted, closed.ErrorCode);
        Assert.Equal(2, (await bed.InboxAsync(UnitMailbox)).Count);
    }

    [Fact]
    public async Task A_disabled_account_without_a_rule_is_still_refused_at_rcpt()
    {
        await using var bed = await StartAsync();

        using var client = await bed.LogInAsync(An);
        var refused = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() =>
            client.SendAsync(Letter(An, Dung, "Chào chị", "Nội dung.\r\n")));

        Assert.Equal(MailKit.Net.Smtp.SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);
    }
}
