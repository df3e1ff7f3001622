using GovMail.Core.Lifecycle;
using GovMail.Core.Security;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Lifecycle;
using GovMail.Storage.Mail;
using GovMail.Storage.Tests.Directory;
using MimeKit;

namespace GovMail.Storage.Tests.Mail;

/// <summary>Seed 004 on a fixture mailbox: sign-up mail from social networks and banks is listed; forwarding to gmail refused.</summary>
public abstract class RegistrationMailTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string Culture = "Sở Văn hóa và Thể thao";
    private const string Tourism = "Sở Du lịch";
    private const string Thinh = "ldthinh@tphcm.gov.vn";
    private const string Hai = "nvhai@tphcm.gov.vn";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddUnitAsync(Culture);
        await AddUnitAsync(Tourism);
        await AddAccountAsync("Lê Đức Thịnh", Culture, Thinh);
        await AddAccountAsync("Nguyễn Văn Hải", Tourism, Hai);
        var blobs = new FileBlobStore(Path.Combine(Path.GetTempPath(), "govmail-tests", Guid.NewGuid().ToString("N")));
        var mail = new LocalMail(Database, blobs, Test.Clock);
        async Task FileAsync(string to, string from, string subject)
        {
            var m = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "…" } };
            m.From.Add(MailboxAddress.Parse(from));
            m.To.Add(MailboxAddress.Parse(to));
            var account = await StoredAsync(to);
            await mail.FileAsync(m, [new DeliveryTarget(account.Id, account.Address)], default);
        }
        await FileAsync(Thinh, "security@facebookmail.com", "Xác nhận tài khoản Facebook của bạn");
        await FileAsync(Thinh, "no-reply@vcbdigibank.vietcombank.com.vn", "Đăng ký VCB Digibank thành công");
        await FileAsync(Thinh, "vanthu@hanoi.gov.vn", "Giấy mời họp");
        await FileAsync(Hai, "noreply@zalo.me", "Mã xác thực Zalo");
        await FileAsync(Hai, "khuyenmai@notfacebook.com", "Không phải Facebook");
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
