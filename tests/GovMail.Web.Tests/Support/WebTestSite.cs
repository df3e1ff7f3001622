using System.Net;
using System.Text.RegularExpressions;
using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Smtp.Delivery;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Mail;
using GovMail.Storage.Tests.Database;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace GovMail.Web.Tests.Support;

/// <summary>
/// The web room on a test server (WebApplicationFactory) over a fresh database on either engine, with the real SMTP
/// delivery pipeline behind the compose page. The city's tenant has An (active), Bình (still on a temporary password),
/// Chi (locked by an administrator) and Dũng (disabled).
/// </summary>
public sealed partial class WebTestSite : WebApplicationFactory<WebTestSite>
{
    public const string Domain = "tphcm.gov.vn";
    public const string An = "an@tphcm.gov.vn";
    public const string AnPassword = "Sen-Hồng-Tháp-Mười-2026";
    public const string Binh = "binh@tphcm.gov.vn";
    public const string BinhTemporary = "Mùa-Xuân-Mới-2026";
    public const string Chi = "chi@tphcm.gov.vn";
    public const string ChiPassword = "Hoa-Mai-Ngày-Tết-2027";
    public const string Dung = "dung@tphcm.gov.vn";
    public const string DungPassword = "Cầu-Rồng-Đà-Nẵng-2028";
    private const string Unit = "Sở Nội vụ";
    private const string Admin = "admin@tphcm.gov.vn";

    private readonly DirectoryInfo _folder;

    // The pages are compiled into GovMail.Web and the assets embedded in it: the content root only has to exist.
    static WebTestSite() => Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_GOVMAIL_WEB_TESTS", AppContext.BaseDirectory);

    private WebTestSite(TestDatabase database, DirectoryInfo folder)
    {
        Database = database;
        _folder = folder;
        Blobs = new FileBlobStore(Path.Combine(folder.FullName, "blobs"));
        var delivery = new MailDelivery(database.Database, Blobs, database.Clock, "mail.tphcm.gov.vn", NullLogger<MailDelivery>.Instance);
        delivery.Delivered += Notifications.PublishDelivered;
        Submission = new PipelineSubmission(database.Database, Blobs, delivery, new DirectorySmtpPolicy(database.Database, database.Clock),
            database.Clock, Path.Combine(folder.FullName, "spool"), 10 * 1024 * 1024, Notifications);
    }

    public TestDatabase Database { get; }

    /// <summary>The installation key of this site (administrators' TOTP keys are stored under it).</summary>
    public GovMail.Storage.Security.SecretProtector Secrets { get; } = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    public FileBlobStore Blobs { get; }
    public MailboxNotifications Notifications { get; } = new();
    public PipelineSubmission Submission { get; }
    public MailboxQueries Queries => new(Database.Database);
    public AccountDirectory Accounts => new(Database.Database, Database.Clock, Database.Hasher);

    /// <summary>The certificate the host presents on its mail ports (none unless a test sets it before the first request).</summary>
    public GovMail.Net.ServerCertificateChain? ServerCertificate { get; set; }

    public static async Task<WebTestSite> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var clock = database.Clock;
        Ok(await new TenantDirectory(database.Database, clock, database.Hasher).InitAsync(Domain, "Ủy ban nhân dân Thành phố Hồ Chí Minh", null));
        Ok(await new UnitDirectory(database.Database, clock).AddAsync(Unit, null, null, Admin));
        var accounts = new AccountDirectory(database.Database, clock, database.Hasher);
        Ok(await accounts.AddAsync(new NewAccount("Nguyễn Văn An", Unit) { Address = An, Password = "Tạm-Thời-An-2026" }, Admin));
        Ok(await accounts.ChangePasswordAsync(An, "Tạm-Thời-An-2026", AnPassword));
        Ok(await accounts.AddAsync(new NewAccount("Trần Thị Bình", Unit) { Address = Binh, Password = BinhTemporary }, Admin));
        Ok(await accounts.AddAsync(new NewAccount("Lê Minh Chi", Unit) { Address = Chi, Password = "Tạm-Thời-Chi-2026" }, Admin));
        Ok(await accounts.ChangePasswordAsync(Chi, "Tạm-Thời-Chi-2026", ChiPassword));
        Ok(await accounts.ApplyAsync(Chi, AccountAction.Lock, Admin, "kiểm tra", LockReason.Administrator));
        Ok(await accounts.AddAsync(new NewAccount("Phạm Văn Dũng", Unit) { Address = Dung, Password = "Tạm-Thời-Số4-2026" }, Admin));
        Ok(await accounts.ChangePasswordAsync(Dung, "Tạm-Thời-Số4-2026", DungPassword));
        Ok(await accounts.ApplyAsync(Dung, AccountAction.Disable, Admin, "nghỉ hưu", null));
        return new WebTestSite(database, Directory.CreateTempSubdirectory("govmail-web-"));
    }

    private static void Ok<T>(Result<T> result)
    {
        if (!result.IsOk) throw new InvalidOperationException(result.Problem!.Message(Messages.English));
    }

    protected override IHostBuilder CreateHostBuilder() =>
        Host.CreateDefaultBuilder().ConfigureWebHostDefaults(web => web
            .ConfigureServices(services => services.AddGovMailWeb(new WebSiteOptions
            {
                Database = Database.Database,
                Clock = Database.Clock,
                Hasher = Database.Hasher,
                Blobs = Blobs,
                Notifications = Notifications,
                Submission = Submission,
                Secrets = Secrets,
                MailClients = new GovMail.Web.Setup.MailClientSettings("mail.tphcm.gov.vn", 993, 143, 465, 587, "https://mail.tphcm.gov.vn/")
                {
                    ProfileSigner = _ => ServerCertificate,
                },
            }))
            .Configure(app => app.UseGovMailWeb()));

    /// <summary>The mailbox of an account with a role.</summary>
    public async Task<MailboxInfo> MailboxAsync(string address, Core.Mail.MailboxRole role)
    {
        var account = (await Accounts.FindAsync(address)).Value!.Account;
        return (await Queries.ListAsync(account.Id)).Single(m => m.Role == role);
    }

    /// <summary>The messages of an account's mailbox, newest first.</summary>
    public async Task<IReadOnlyList<MessageListItem>> ListAsync(string address, Core.Mail.MailboxRole role) =>
        (await Queries.ListPageAsync((await MailboxAsync(address, role)).Id, 0, 1000, false)).Items;

    /// <summary>Files a message from outside into an account's INBOX, as MX delivery would (blob, summary, mail store, notice).</summary>
    public async Task<uint> ReceiveAsync(string address, MimeKit.MimeMessage message)
    {
        var account = (await Accounts.FindAsync(address)).Value!.Account;
        var copies = await new LocalMail(Database.Database, Blobs, Database.Clock).FileAsync(message, [new DeliveryTarget(account.Id, account.Address)], default);
        Notifications.PublishDelivered(copies);
        return copies[0].Uid;
    }

    /// <summary>A browser-like client: cookies kept, redirects not followed (tests look at them), over HTTPS.</summary>
    public BrowserClient Browser() => new(CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost"), HandleCookies = true,
    }));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
        try { _folder.Delete(recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>An HTTP client that behaves like a browser on the site's forms: it reads the antiforgery token of a page and posts it back.</summary>
public sealed partial class BrowserClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> GetAsync(string url)
    {
        var response = await Http.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Opens <paramref name="page"/>, fills its form with <paramref name="fields"/> and the page's token, posts to <paramref name="action"/> (default: the page).</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string page, IEnumerable<KeyValuePair<string, string>> fields, string? action = null)
    {
        var (_, html, _) = await GetAsync(page);
        var token = Token(html) ?? throw new InvalidOperationException($"No antiforgery token on {page}:\n{html}");
        return await Http.PostAsync(action ?? page, new FormUrlEncodedContent([.. fields, new("__xsrf", token)]));
    }

    /// <summary>Like <see cref="SubmitAsync"/> for a form with files (multipart/form-data).</summary>
    public async Task<HttpResponseMessage> SubmitFilesAsync(string page, IEnumerable<KeyValuePair<string, string>> fields,
        IEnumerable<(string Field, string FileName, string ContentType, byte[] Content)> files)
    {
        var (_, html, _) = await GetAsync(page);
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        form.Add(new StringContent(Token(html)!), "__xsrf");
        foreach (var f in files)
        {
            var content = new ByteArrayContent(f.Content);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(f.ContentType);
            form.Add(content, f.Field, f.FileName);
        }
        return await Http.PostAsync(page, form);
    }

    public async Task<HttpResponseMessage> SignInAsync(string address, string password) =>
        await SubmitAsync("/dang-nhap", [new("Address", address), new("Password", password)]);

    public static string? Token(string html) => TokenPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("name=\"__xsrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public void Dispose() => Http.Dispose();
}
