using System.Net;
using GovMail.Net;

namespace GovMail.Smtp.Tests.Support;

/// <summary>A real <see cref="SmtpServer"/> on loopback with ephemeral ports for MX, submission and submissions.</summary>
internal sealed class TestSmtpServer : IAsyncDisposable
{
    public const string HostName = "mx.govmail.test";

    private readonly DirectoryInfo _spool;

    private TestSmtpServer(SmtpServer server, DirectoryInfo spool, RecordingSink sink, TestAuthenticator authenticator, TestLoggerFactory logs)
    {
        Server = server;
        _spool = spool;
        Sink = sink;
        Authenticator = authenticator;
        Logs = logs;
    }

    public SmtpServer Server { get; }
    public RecordingSink Sink { get; }
    public TestAuthenticator Authenticator { get; }
    public TestLoggerFactory Logs { get; }
    public string SpoolDirectory => _spool.FullName;

    public IPEndPoint Mx => Server.GetEndPoint(SmtpListenerKind.Mx);
    public IPEndPoint Submission => Server.GetEndPoint(SmtpListenerKind.Submission);
    public IPEndPoint Submissions => Server.GetEndPoint(SmtpListenerKind.Submissions);

    public static async Task<TestSmtpServer> StartAsync(Action<SmtpServerOptions>? configure = null, ServerCertificateChain? certificate = null)
    {
        var spool = Directory.CreateTempSubdirectory("govmail-smtp-test-");
        var options = new SmtpServerOptions
        {
            HostName = HostName,
            SpoolDirectory = spool.FullName,
            Listeners =
            [
                new(new IPEndPoint(IPAddress.Loopback, 0), SmtpListenerKind.Mx),
                new(new IPEndPoint(IPAddress.Loopback, 0), SmtpListenerKind.Submission),
                new(new IPEndPoint(IPAddress.Loopback, 0), SmtpListenerKind.Submissions),
            ],
        };
        configure?.Invoke(options);
        var sink = new RecordingSink();
        var authenticator = new TestAuthenticator();
        var logs = new TestLoggerFactory();
        var server = new SmtpServer(options, authenticator, new TestPolicy(), sink, () => certificate ?? TestCertificate.Chain, logs, TimeProvider.System);
        await server.StartAsync(CancellationToken.None);
        return new TestSmtpServer(server, spool, sink, authenticator, logs);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Server.StopAsync(timeout.Token);
        await Server.DisposeAsync();
        try
        {
            _spool.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
