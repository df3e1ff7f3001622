using System.Globalization;
using GovMail.EndToEnd.Tests.Support;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// <c>/metrics</c> of a running <c>govmail serve</c>, read as Prometheus would: the counters move with the traffic the test
/// makes (connections by listener, messages accepted, logins by result, HTTP requests), and <c>/readyz</c> says ready; the
/// JSON log lines of one session carry its correlation id.
/// </summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Counters_move_with_mail_and_logins_readyz_answers_and_a_sessions_log_lines_share_its_id()
    {
        using var data = await CreateAsync();
        using var server = await GovMailServer.StartAsync(data);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort.ToString(CultureInfo.InvariantCulture)}/") };
        var before = Parse(await http.GetStringAsync("metrics"));

        using (var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false })
        {
            await smtp.ConnectAsync("127.0.0.1", server.SubmissionsPort, SecureSocketOptions.SslOnConnect);
            await smtp.AuthenticateAsync(An, Password);
            for (var i = 0; i < 3; i++)
            {
                var m = new MimeMessage();
                m.From.Add(new MailboxAddress("Nguyễn Văn An", An));
                m.To.Add(new MailboxAddress("Trần Thị Bình", Binh));
                m.Subject = $"Báo cáo số {i}";
                m.Body = new TextPart("plain") { Text = "Kính gửi chị Bình." };
                await smtp.SendAsync(m);
            }
            await smtp.DisconnectAsync(true);
        }
        using (var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false })
        {
            await imap.ConnectAsync("127.0.0.1", server.ImapsPort, SecureSocketOptions.SslOnConnect);
            await Assert.ThrowsAsync<AuthenticationException>(() => imap.AuthenticateAsync(Binh, "sai-mat-khau"));
            await imap.AuthenticateAsync(Binh, Password);
            await imap.DisconnectAsync(true);
        }

        Dictionary<string, double> after = [];
        // The last connection's close is counted when its session ends, a moment after the client has gone.
        for (var i = 0; i < 50; i++)
        {
            after = Parse(await http.GetStringAsync("metrics"));
            if (Value(after, "govmail_connections_active{listener=\"imaps\"}") == 0) break;
            await Task.Delay(100);
        }
        double Delta(string series) => Value(after, series) - Value(before, series);
        void Expect(double change, string series) =>
            Assert.True(Delta(series) == change, $"{series}: expected +{change}, got +{Delta(series)}\n{string.Join('\n', after.Where(kv => kv.Key.StartsWith("govmail", StringComparison.Ordinal)))}");
        Expect(3, "govmail_smtp_messages_total{result=\"accepted\"}");
        Expect(1, "govmail_connections_total{listener=\"submissions\"}");
        Expect(1, "govmail_connections_total{listener=\"imaps\"}");
        Assert.Equal(0, Value(after, "govmail_connections_active{listener=\"imaps\"}"));
        // MailKit tries each mechanism the server offers (AUTHENTICATE PLAIN, then LOGIN) before it gives up: one or two failures.
        Assert.InRange(Delta("govmail_logins_total{protocol=\"imap\",result=\"wrong-credentials\"}"), 1, 2);
        Expect(1, "govmail_logins_total{protocol=\"imap\",result=\"ok\"}");
        Expect(1, "govmail_logins_total{protocol=\"smtp\",result=\"ok\"}");
        Assert.Equal(2, Value(after, "govmail_accounts") - 1); // the administrator and the two officials
        Assert.Contains(after.Keys, k => k.StartsWith("http_requests_received_total", StringComparison.Ordinal));

        using var ready = await http.GetAsync("readyz");
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        await server.StopAsync();

        // Structured logs: the delivery's lines (another component) are written in the SMTP session's scope, so the three
        // "accepted" lines and the session's summary line carry the same SessionId, the one in the summary's own text.
        var lines = server.Output.Split('\n').Where(l => l.StartsWith('{')).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        static string? SessionOf(System.Text.Json.JsonElement line) =>
            line.TryGetProperty("Scopes", out var scopes) ? scopes.EnumerateArray()
                .Select(s => s.TryGetProperty("SessionId", out var id) ? id.GetString() : null).FirstOrDefault(id => id is not null) : null;
        var accepted = lines.Where(l => l.GetProperty("Message").GetString()!.Contains(" accepted: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, accepted.Count);
        var session = SessionOf(accepted[0]);
        Assert.NotNull(session);
        Assert.All(accepted, l => Assert.Equal(session, SessionOf(l)));
        var summary = Assert.Single(lines, l => l.GetProperty("Message").GetString()!.StartsWith($"SMTP session {session} ", StringComparison.Ordinal));
        Assert.Equal(session, SessionOf(summary));
        Assert.NotEqual(session, SessionOf(Assert.Single(lines, l => l.GetProperty("Message").GetString()!.StartsWith("IMAP session ", StringComparison.Ordinal))));
    }

    private static double Value(Dictionary<string, double> metrics, string series) => metrics.TryGetValue(series, out var v) ? v : 0;

    /// <summary>Prometheus text format: "name{labels} value" lines, comments skipped.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                values[line[..space]] = v;
        }
        return values;
    }
}
