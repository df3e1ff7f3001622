using System.Globalization;
using MailKit.Net.Imap;
using MailKit.Security;

namespace GovMail.EndToEnd.Tests.Support;

/// <summary>
/// A real Dovecot (Debian's dovecot-imapd) playing the mail system an agency runs today: a throw-away instance started by
/// the repository's <c>scripts/dovecot-instance</c> under a temporary folder, implicit TLS on a free loopback port, the given
/// users with plain passwords and one master login that may act as any of them.
/// </summary>
internal sealed class DovecotServer : IAsyncDisposable
{
    public const string MasterUser = "migrator";
    public const string MasterPassword = "Chuyen#Thu-2026";

    private readonly string _script;
    private readonly string _dir;

    private DovecotServer(string script, string dir, int port)
    {
        _script = script;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }
    public string Url => $"imaps://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<DovecotServer> StartAsync(IReadOnlyDictionary<string, string> users)
    {
        ExternalProgram.Require("openssl", "openssl");
        Assert.True(File.Exists("/usr/sbin/dovecot") && File.Exists("/usr/lib/dovecot/imap"),
            "The migration tests need a real Dovecot: install the Debian packages dovecot-core and dovecot-imapd " +
            "(scripts/test does it when run as root, without starting the system service).");
        var bash = ExternalProgram.Require("bash", "bash");
        var script = Path.Combine(RepositoryRoot(), "scripts", "dovecot-instance");
        var dir = Path.Combine(Path.GetTempPath(), "govmail-dovecot-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        var usersFile = Path.Combine(dir, "users.txt");
        await File.WriteAllLinesAsync(usersFile, users.Select(u => $"{u.Key} {u.Value}"));
        var port = GovMail.Cli.Tests.Support.GovMailProcess.FreePort();
        var run = await bash.RunAsync([script, "start", Path.Combine(dir, "instance"), port.ToString(CultureInfo.InvariantCulture), usersFile, "20",
            MasterUser, MasterPassword]);
        Assert.True(run.ExitCode == 0, run.Transcript);
        return new DovecotServer(script, dir, port);
    }

    /// <summary>The Maildir in which Dovecot keeps <paramref name="user"/>'s mail (what an operator would export from the old server).</summary>
    public string MaildirOf(string user) => Path.Combine(_dir, "instance", "mail", user);

    /// <summary>An IMAP session at the old server as <paramref name="user"/>.</summary>
    public async Task<ImapClient> ConnectAsync(string user, string password)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(user, password);
        return client;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovMail.slnx"))) return dir.FullName;
        throw new InvalidOperationException("the repository root (GovMail.slnx) is not above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await ExternalProgram.Require("bash", "bash").RunAsync([_script, "stop", Path.Combine(_dir, "instance")]);
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
