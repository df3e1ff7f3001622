using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using GovMail.Cli.Tests.Support;
using GovMail.Core.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Cli.Tests;

/// <summary>The tests that start the real program; one at a time, so they do not compete for the machine.</summary>
[CollectionDefinition(Name)]
public sealed class GovMailProcessCollection
{
    public const string Name = "govmail processes";
}

[Collection(GovMailProcessCollection.Name)]
public sealed partial class ServeProcessTests
{
    // A start takes a few seconds (the demo seeds 350 accounts); the bound is generous for a machine busy with other builds.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Every listener off except those the test names (in <paramref name="more"/> too), all on loopback.</summary>
    private static List<string> ServeArgs(string data, int http, int https, params string[] more)
    {
        List<string> args = ["serve", "--data", data, "--bind", "127.0.0.1", "--http", Port(http), "--https", Port(https)];
        foreach (var listener in new[] { "--smtp", "--submission", "--submissions", "--imap", "--imaps" })
            if (!more.Contains(listener)) args.AddRange([listener, "0"]);
        return [.. args, .. more];
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly Dictionary<string, string?> CleanEnvironment = new()
    {
        ["GOVMAIL_LANG"] = null, ["GOVMAIL_DATA"] = null, ["GOVMAIL__LISTENERS__HTTP"] = null, ["GOVMAIL__LISTENERS__HTTPS"] = null,
        ["GOVMAIL__LISTENERS__BIND"] = null, ["ASPNETCORE_URLS"] = null, ["ASPNETCORE_HTTP_PORTS"] = null, ["ASPNETCORE_HTTPS_PORTS"] = null,
    };

    [Fact]
    public async Task Serve_starts_with_a_password_once_answers_healthz_on_http_and_https_and_stops_cleanly_on_sigterm()
    {
        using var data = new DataFolder(TimeProvider.System);
        var http = GovMailProcess.FreePort();
        var https = GovMailProcess.FreePort();
        var certificatePath = Path.Combine(data.Path, "tls", "govmail.pfx");
        string? servedThumbprint = null;
        using var handler = new HttpClientHandler
        {
            // Trust exactly the certificate the server made in its data folder, and remember what it served.
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                servedThumbprint = certificate?.Thumbprint;
                using var own = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, null);
                return certificate?.Thumbprint == own.Thumbprint;
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };

        string password, thumbprint;
        using (var first = GovMailProcess.Start(ServeArgs(data.Path, http, https), WorkingDirectory(data), CleanEnvironment))
        {
            await first.WaitUntilHealthyAsync(client, $"http://127.0.0.1:{http}/healthz", StartTimeout);
            using (var secure = await client.GetAsync(new Uri($"https://127.0.0.1:{https}/healthz")))
                Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
            Assert.True(Directory.Exists(Path.Combine(data.Path, "blobs")));

            var shown = AdminPassword().Match(first.Output);
            Assert.True(shown.Success, first.Output);
            Assert.Equal("admin@govmail.local", shown.Groups["address"].Value);
            password = shown.Groups["password"].Value;

            var stopwatch = Stopwatch.StartNew();
            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(StopTimeout));
            Assert.True(stopwatch.Elapsed < StopTimeout);
            Assert.DoesNotContain("Exception", first.Error, StringComparison.Ordinal);
        }
        using (var own = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, null)) thumbprint = own.Thumbprint;
        Assert.Equal(thumbprint, servedThumbprint);
        // WAL mode is a property of the database file: it outlives the process that set it.
        Assert.Equal("wal", await JournalModeAsync(data));
        await using (var db = data.OpenDatabase())
        {
            var admin = await db.Accounts.AsNoTracking().SingleAsync(a => a.Address == "admin@govmail.local");
            Assert.True(PasswordHasher.Verify(password, admin.PasswordHash));
        }

        servedThumbprint = null;
        using (var second = GovMailProcess.Start(ServeArgs(data.Path, http, https), WorkingDirectory(data), CleanEnvironment))
        {
            await second.WaitUntilHealthyAsync(client, $"https://127.0.0.1:{https}/healthz", StartTimeout);
            second.Terminate();
            Assert.Equal(0, await second.WaitForExitAsync(StopTimeout));
            Assert.DoesNotContain("mật khẩu dùng một lần", second.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(password, second.Output, StringComparison.Ordinal);
        }
        Assert.Equal(thumbprint, servedThumbprint);
        using (var own = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, null)) Assert.Equal(thumbprint, own.Thumbprint);
    }

    [Fact]
    public async Task Serve_demo_seeds_the_department_of_culture_and_sports_with_vietnamese_names()
    {
        using var data = new DataFolder(TimeProvider.System);
        var http = GovMailProcess.FreePort();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        // The mail ports are open so that the setup page offers the Apple profile.
        using (var server = GovMailProcess.Start(ServeArgs(data.Path, http, 0, "--demo", "--imaps", Port(GovMailProcess.FreePort()),
                   "--submissions", Port(GovMailProcess.FreePort())), WorkingDirectory(data), CleanEnvironment))
        {
            await server.WaitUntilHealthyAsync(client, $"http://127.0.0.1:{http}/healthz", StartTimeout);
            Assert.Contains("admin@tphcm.gov.vn", server.Output, StringComparison.Ordinal);
            await The_mobile_profile_is_signed_with_the_served_certificateAsync(data, http);
            server.Terminate();
            Assert.Equal(0, await server.WaitForExitAsync(StopTimeout));
        }

        var art = (await data.RunAsync("account", "list", "--unit", "Phòng Nghệ thuật", "--json")).Ok().Json.EnumerateArray().ToList();
        var names = art.Select(a => a.GetProperty("displayName").GetString()).ToList();
        Assert.Contains("Lê Đức Thịnh", names);
        Assert.Contains("Ngô Tường Huyền", names);
        Assert.All(art, a => Assert.EndsWith("@tphcm.gov.vn", a.GetProperty("address").GetString(), StringComparison.Ordinal));
        Assert.True((await data.RunAsync("account", "list", "--json")).Ok().Json.GetArrayLength() > 300);

        // The README's way: the program itself, as an operator types it.
        var listed = await GovMailProcess.RunAsync(["account", "list", "--unit", "Phòng Nghệ thuật", "--data", data.Path],
            WorkingDirectory(data), CleanEnvironment);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("Lê Đức Thịnh", listed.Out, StringComparison.Ordinal);
    }

    /// <summary>
    /// A demo official signs in on the web and downloads the Apple profile: it is signed with the certificate the program made
    /// in its data folder, the one its mail ports present.
    /// </summary>
    private static async Task The_mobile_profile_is_signed_with_the_served_certificateAsync(DataFolder data, int http)
    {
        var official = (await data.RunAsync("account", "list", "--unit", "Phòng Nghệ thuật", "--json")).Ok().Json.EnumerateArray()
            .Select(a => a.GetProperty("address").GetString()!).First();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{http}"), Timeout = TimeSpan.FromSeconds(20),
        };
        var signIn = await browser.GetStringAsync("/dang-nhap");
        var token = Regex.Match(signIn, "name=\"__xsrf\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using (var posted = await browser.PostAsync("/dang-nhap", new FormUrlEncodedContent(
            [new("Address", official), new("Password", GovMail.Demo.DemoTenant.Password), new("__xsrf", token)])))
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

        var profile = await browser.GetByteArrayAsync("/cai-dat-dien-thoai/hop-thu.mobileconfig");

        var cms = new System.Security.Cryptography.Pkcs.SignedCms();
        cms.Decode(profile);
        cms.CheckSignature(verifySignatureOnly: true);
        using var own = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(data.Path, "tls", "govmail.pfx"), null);
        var signer = Assert.IsType<System.Security.Cryptography.Pkcs.SignerInfo>(Assert.Single(cms.SignerInfos));
        Assert.Equal(own.Thumbprint, signer.Certificate?.Thumbprint);
        Assert.Contains(official, System.Text.Encoding.UTF8.GetString(cms.ContentInfo.Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_takes_its_port_and_data_folder_from_the_environment()
    {
        using var data = new DataFolder(TimeProvider.System);
        var http = GovMailProcess.FreePort();
        var workingDirectory = WorkingDirectory(data);
        var environment = new Dictionary<string, string?>(CleanEnvironment)
        {
            ["GOVMAIL__LISTENERS__HTTP"] = Port(http),
            ["GOVMAIL__LISTENERS__HTTPS"] = "0",
            ["GOVMAIL_DATA"] = data.Path,
        };
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        using (var server = GovMailProcess.Start(
            ["serve", "--bind", "127.0.0.1", "--smtp", "0", "--submission", "0", "--submissions", "0", "--imap", "0", "--imaps", "0"],
            workingDirectory, environment))
        {
            await server.WaitUntilHealthyAsync(client, $"http://127.0.0.1:{http}/healthz", StartTimeout);
            server.Terminate();
            Assert.Equal(0, await server.WaitForExitAsync(StopTimeout));
        }

        Assert.True(File.Exists(data.Database));
        Assert.False(Directory.Exists(Path.Combine(workingDirectory, "data")), "GOVMAIL_DATA replaces ./data");
    }

    [Fact]
    public async Task The_program_speaks_english_when_GOVMAIL_LANG_is_en_and_vietnamese_otherwise()
    {
        using var data = new DataFolder(TimeProvider.System);

        var english = await GovMailProcess.RunAsync(["account", "list", "--data", data.Path], WorkingDirectory(data),
            new Dictionary<string, string?>(CleanEnvironment) { ["GOVMAIL_LANG"] = "en" });
        var vietnamese = await GovMailProcess.RunAsync(["account", "list", "--data", data.Path], WorkingDirectory(data), CleanEnvironment);

        english.Refused(1);
        Assert.StartsWith("govmail: No mail system is set up in this data folder", english.ErrorLines[0], StringComparison.Ordinal);
        vietnamese.Refused(1);
        Assert.StartsWith("govmail: Hệ thống chưa được khởi tạo", vietnamese.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_program_refuses_a_port_already_taken_with_one_line()
    {
        using var data = new DataFolder(TimeProvider.System);
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await GovMailProcess.RunAsync(ServeArgs(data.Path, port, 0), WorkingDirectory(data), CleanEnvironment);

        result.Refused(1);
        Assert.Contains("--http 8080", result.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_program_refuses_a_certificate_file_that_does_not_exist_with_one_line()
    {
        using var data = new DataFolder(TimeProvider.System);
        var missing = data.File("khong-co.pem");

        var result = await GovMailProcess.RunAsync(ServeArgs(data.Path, GovMailProcess.FreePort(), GovMailProcess.FreePort()), WorkingDirectory(data),
            new Dictionary<string, string?>(CleanEnvironment) { ["GOVMAIL__TLS__CERTIFICATEFILE"] = missing });

        result.Refused(1);
        Assert.StartsWith("govmail: Không tìm thấy tệp chứng chỉ TLS " + missing, result.ErrorLines[0], StringComparison.Ordinal);
        // The named files replace the data folder's own certificate, so none was made there.
        Assert.False(File.Exists(Path.Combine(data.Path, "tls", "govmail.pfx")));
    }

    /// <summary>A working directory of the test's own, so a stray <c>./data</c> would show up there and not in the repository.</summary>
    private static string WorkingDirectory(DataFolder data)
    {
        var path = data.File("cwd");
        Directory.CreateDirectory(path);
        return path;
    }

    private static async Task<string?> JournalModeAsync(DataFolder data)
    {
        await using var connection = new SqliteConnection($"Data Source={data.Database};Pooling=False;Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        return (string?)await command.ExecuteScalarAsync();
    }

    [GeneratedRegex(@"(?<address>\S+@\S+) — mật khẩu dùng một lần: (?<password>\S+) ")]
    private static partial Regex AdminPassword();
}
