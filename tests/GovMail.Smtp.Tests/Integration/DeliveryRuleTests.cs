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
    public async Task A_disabled_account_without_a_rule_is_still_refused_at_rcpt()
    {
        await using var bed = await StartAsync();

        using var client = await bed.LogInAsync(An);
        var refused = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() =>
            client.SendAsync(Letter(An, Dung, "Chào chị", "Nội dung.\r\n")));

        Assert.Equal(MailKit.Net.Smtp.SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);
    }
}
