using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using GovMail.Storage.Tests.Directory;
using MimeKit;

namespace GovMail.Storage.Tests.Mail;

/// <summary>
/// The fixture mailboxes of seed 004's reports: two agencies (culture, tourism) with one official each, Thịnh and Hải, and a
/// way to file a message into one of their folders as delivery or a Sent copy would.
/// </summary>
public abstract class OfficialUseMailboxTest(DatabaseProvider provider) : DirectoryTest(provider)
{
    protected const string Culture = "Sở Văn hóa và Thể thao";
    protected const string Tourism = "Sở Du lịch";
    protected const string Thinh = "ldthinh@tphcm.gov.vn";
    protected const string Hai = "nvhai@tphcm.gov.vn";

    private LocalMail _mail = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddUnitAsync(Culture);
        await AddUnitAsync(Tourism);
        await AddAccountAsync("Lê Đức Thịnh", Culture, Thinh);
        await AddAccountAsync("Nguyễn Văn Hải", Tourism, Hai);
        _mail = new LocalMail(Database, new FileBlobStore(Path.Combine(Path.GetTempPath(), "govmail-tests", Guid.NewGuid().ToString("N"))), Test.Clock);
    }

    /// <summary>Files a message from <paramref name="from"/> to <paramref name="to"/> into <paramref name="account"/>'s folder of <paramref name="role"/>.</summary>
    protected async Task FileAsync(string account, MailboxRole role, string from, string to, string subject, MimeEntity body)
    {
        var m = new MimeMessage { Subject = subject, Body = body };
        m.From.Add(MailboxAddress.Parse(from));
        m.To.Add(MailboxAddress.Parse(to));
        var owner = await StoredAsync(account);
        await _mail.FileAsync(m, [new DeliveryTarget(owner.Id, owner.Address) { Role = role, RecordAs = null }], default);
    }

    protected static TextPart Plain(string text) => new("plain") { Text = text };

    protected static TextPart Html(string html) => new("html") { Text = html };
}
