using GovMail.Core.Lifecycle;
using GovMail.Core.Mail;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Lifecycle;
using GovMail.Storage.Mail;

namespace GovMail.Storage.Tests.Mail;

/// <summary>Seed 004 on a fixture mailbox: sign-up mail from social networks and banks is listed; forwarding to gmail refused.</summary>
public abstract class RegistrationMailTests(DatabaseProvider provider) : OfficialUseMailboxTest(provider)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Task ReceiveAsync(string to, string from, string subject) => FileAsync(to, MailboxRole.Inbox, from, to, subject, Plain("…"));
        await ReceiveAsync(Thinh, "security@facebookmail.com", "Xác nhận tài khoản Facebook của bạn");
        await ReceiveAsync(Thinh, "no-reply@vcbdigibank.vietcombank.com.vn", "Đăng ký VCB Digibank thành công");
        await ReceiveAsync(Thinh, "vanthu@hanoi.gov.vn", "Giấy mời họp");
        await ReceiveAsync(Hai, "noreply@zalo.me", "Mã xác thực Zalo");
        await ReceiveAsync(Hai, "khuyenmai@notfacebook.com", "Không phải Facebook");
    }

    [Fact]
    public async Task Sign_up_mail_from_listed_senders_is_reported_per_agency_and_only_that()
    {
        var rows = await new RegistrationMail(Database).ListAsync(OfficialUse.RegistrationSenderDomains.ToList(), null, null);

        Assert.Equal(
            [(Tourism, Hai, "zalo.me"), (Culture, Thinh, "facebookmail.com"), (Culture, Thinh, "vietcombank.com.vn")],
            rows.Select(r => (r.Agency, r.Address, r.SenderDomain)).OrderBy(r => r.Address).ThenBy(r => r.SenderDomain).ToList()
                .OrderBy(r => r.Agency == Culture).ToList());
        var culture = await new RegistrationMail(Database).ListAsync(["zalo.me", "facebook.com"], null,
            GovMail.Storage.Directory.UnitTree.Subtree((await Units.ResolveAsync(Culture)).Value!.Id, (await Units.ListAsync()).Select(n => n.Unit)));
        Assert.Empty(culture);
    }

    [Fact]
    public async Task Forwarding_a_departed_officials_mail_to_public_webmail_is_refused()
    {
        var refused = Refused(await new LifecycleWorkflows(Database, Test.Clock, Test.Hasher)
            .DepartAsync(new DepartureRequest(Thinh, LifecycleKind.Retirement) { ForwardTo = "ldthinh.canhan@Gmail.com" }, Admin), "ForwardToPublicMail");
        Assert.Contains("hộp thư công cộng", refused.Message(), StringComparison.Ordinal);
        Assert.Null(OfficialUse.CheckForwardTarget("vanthu@hanoi.gov.vn", OfficialUse.PublicMailDomains));
    }
}

public sealed class RegistrationMailTestsOnSqlite() : RegistrationMailTests(DatabaseProvider.Sqlite);

public sealed class RegistrationMailTestsOnPostgres() : RegistrationMailTests(DatabaseProvider.Postgres);
