using System.Net;
using GovMail.Core.Accounts;
using GovMail.Core.Mail;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Mail;

/// <summary>A keeper of a unit's collective mailbox switches the webmail to it, reads its mail and sends as the unit.</summary>
public sealed class KeeperWebmailTests
{
    public const string Office = "vanphong@tphcm.gov.vn";
    public const string Hung = "hung@tphcm.gov.vn";
    public const string HungPassword = "Chợ-Bến-Thành-Quận-1#2026";

    /// <summary>The unit's collective mailbox (Văn phòng Sở), kept by An; Hùng is a colleague who does not keep it.</summary>
    internal static async Task PrepareAsync(WebTestSite site)
    {
        Ok(await site.Accounts.AddAsync(new NewAccount("Văn phòng Sở Nội vụ", "Sở Nội vụ")
        {
            Address = Office, Kind = AccountKind.Collective, Password = "Không-Ai-Dùng-Mật-Khẩu-Này#1", MustChangePassword = false,
        }, "test"));
        Ok(await site.Accounts.AddAsync(new NewAccount("Võ Minh Hùng", "Sở Nội vụ") { Address = Hung, Password = HungPassword, MustChangePassword = false }, "test"));
        Ok(await new MailboxKeepers(site.Database.Database, site.Database.Clock).AssignAsync(Office, An, "test"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_keeper_switches_to_the_unit_mailbox_reads_it_and_sends_as_the_unit_named_in_usage_and_audit(DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        await PrepareAsync(site);
        var uid = await site.ReceiveAsync(Office, Letter("cong-dan@example.vn", Office, "Đề nghị cấp bản sao hồ sơ"));
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        var (_, own, _) = await an.GetAsync("/thu");
        Assert.Contains("id=\"mailbox-switch\"", own);
        Assert.Contains($"value=\"{Office}\"", own);

        var switched = await an.SubmitAsync("/thu", [new("hop-thu", Office)], "/thu/hop-thu");

        Assert.Equal("/thu", switched.Headers.Location?.OriginalString);
        var inbox = await site.MailboxAsync(Office, MailboxRole.Inbox);
        var (_, list, _) = await an.GetAsync($"/thu/{inbox.Id}");
        Assert.Contains("id=\"kept-banner\"", list);
        Assert.Contains("Đề nghị cấp bản sao hồ sơ", list);
        var (status, page, _) = await an.GetAsync($"/thu/{inbox.Id}/{uid}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Đề nghị cấp bản sao hồ sơ", page);
        // An's own INBOX is not what the pages show now.
        var anInbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/thu/{anInbox.Id}")).Status);

        var sent = await an.SubmitAsync("/soan-thu", [new("To", Binh), new("Cc", ""), new("Subject", "Trả lời đề nghị"), new("Body", "Văn phòng Sở đã nhận.")]);

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var received = Assert.Single(await site.ListAsync(Binh, MailboxRole.Inbox));
        Assert.Equal("Văn phòng Sở Nội vụ", received.FromName);
        Assert.Single(await site.ListAsync(Office, MailboxRole.Sent));
        Assert.Empty(await site.ListAsync(An, MailboxRole.Sent));
        await using (var db = site.Database.Database.Open())
        {
            var anId = (await site.Accounts.FindAsync(An)).Value!.Account.Id;
            var events = await db.UsageEvents.AsNoTracking().Where(e => e.Address == Office).ToListAsync();
            Assert.Contains(events, e => e.Kind == UsageKind.Read && e.KeeperAccountId == anId && e.Protocol == UsageProtocol.Web);
            Assert.Contains(events, e => e.Kind == UsageKind.Sent && e.KeeperAccountId == anId && e.Protocol == UsageProtocol.Web);
            Assert.Contains(events, e => e.Kind == UsageKind.Webmail && e.KeeperAccountId == anId);
            Assert.True(await db.Audit.AnyAsync(e => e.Action == "mailbox.keeper.send" && e.Actor == An && e.Target == Office));
            Assert.True(await db.Audit.AnyAsync(e => e.Action == "mailbox.keeper.login" && e.Actor == An && e.Target == Office));
        }

        // Back to An's own mailbox.
        await an.SubmitAsync("/thu", [new("hop-thu", "")], "/thu/hop-thu");
        Assert.Equal(HttpStatusCode.OK, (await an.GetAsync($"/thu/{anInbox.Id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/thu/{inbox.Id}")).Status);
    }

    [Fact]
    public async Task A_colleague_who_does_not_keep_the_unit_mailbox_cannot_open_it()
    {
        await using var site = await StartAsync();
        await PrepareAsync(site);
        var uid = await site.ReceiveAsync(Office, Letter("cong-dan@example.vn", Office, "Thư riêng của Văn phòng"));
        using var hung = site.Browser();
        await hung.SignInAsync(Hung, HungPassword);
        var (_, own, _) = await hung.GetAsync("/thu");
        Assert.DoesNotContain("id=\"mailbox-switch\"", own);

        var refused = await hung.SubmitAsync("/thu", [new("hop-thu", Office)], "/thu/hop-thu");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("không được giao quản lý hộp thư", await refused.Content.ReadAsStringAsync());
        var inbox = await site.MailboxAsync(Office, MailboxRole.Inbox);
        Assert.Equal(HttpStatusCode.NotFound, (await hung.GetAsync($"/thu/{inbox.Id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await hung.GetAsync($"/thu/{inbox.Id}/{uid}/noi-dung")).Status);
    }

    [Fact]
    public async Task Switching_needs_the_antiforgery_token_and_a_removed_keeper_is_back_in_their_own_mailbox_at_the_next_request()
    {
        await using var site = await StartAsync();
        await PrepareAsync(site);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var forged = await an.Http.PostAsync("/thu/hop-thu", new FormUrlEncodedContent([new("hop-thu", Office)]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var (_, page, _) = await an.GetAsync("/thu");
        Assert.DoesNotContain("id=\"kept-banner\"", page);

        await an.SubmitAsync("/thu", [new("hop-thu", Office)], "/thu/hop-thu");
        var inbox = await site.MailboxAsync(Office, MailboxRole.Inbox);
        Assert.Equal(HttpStatusCode.OK, (await an.GetAsync($"/thu/{inbox.Id}")).Status);
        Ok(await new MailboxKeepers(site.Database.Database, site.Database.Clock).RemoveAsync(Office, An, "test"));

        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/thu/{inbox.Id}")).Status);
        var (status, own, _) = await an.GetAsync("/thu");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("id=\"kept-banner\"", own);
    }

    private static MimeMessage Letter(string from, string to, string subject) => new(
        [MailboxAddress.Parse(from)], [MailboxAddress.Parse(to)], subject, new TextPart("plain") { Text = "Kính gửi Văn phòng." });

    private static T Ok<T>(GovMail.Core.Result<T> result) =>
        result.IsOk ? result.Value! : throw new InvalidOperationException(result.Problem!.Message(GovMail.Core.Messages.English));
}
