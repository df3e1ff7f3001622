using GovMail.Smtp.Tests.Support;
using Microsoft.Extensions.Logging;

namespace GovMail.Smtp.Tests.Transcripts;

public sealed class ConnectionTranscriptTests
{
    [Fact]
    public async Task A_silent_client_is_told_421_and_disconnected_after_the_command_timeout()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.CommandTimeout = TimeSpan.FromMilliseconds(200));
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.ExpectAsync(Replies.Greeting);
        await client.ExpectAsync(Replies.Timeout);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task A_client_that_stops_in_the_middle_of_data_is_timed_out_too()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.CommandTimeout = TimeSpan.FromMilliseconds(200));
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.ExpectAsync(Replies.Greeting);
        await client.SendAsync("EHLO client.example\r\nMAIL FROM:<sender@example.org>\r\nRCPT TO:<an@govmail.test>\r\nDATA\r\n");
        await client.ReadReplyAsync();
        await client.ExpectAsync(Replies.SenderOk);
        await client.ExpectAsync(Replies.RecipientOk);
        await client.ExpectAsync(Replies.StartData);
        await client.SendAsync("Subject: half\r\n");
        await client.ExpectAsync(Replies.Timeout);
        Assert.True(await client.IsClosedByServerAsync());
        Assert.Empty(server.Sink.Messages);
    }

    [Fact]
    public async Task A_silent_client_on_implicit_tls_gets_its_421_over_tls()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.CommandTimeout = TimeSpan.FromMilliseconds(200));
        await using var client = await RawSmtpClient.ConnectAsync(server.Submissions, implicitTls: true);
        await client.ExpectAsync(Replies.Greeting);
        await client.ExpectAsync(Replies.Timeout);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Connections_over_the_per_address_limit_are_refused_with_421()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxConnectionsPerIp = 2);
        await using var first = await RawSmtpClient.ConnectAsync(server.Mx);
        await first.ExpectAsync(Replies.Greeting);
        await using var second = await RawSmtpClient.ConnectAsync(server.Submission);
        await second.ExpectAsync(Replies.Greeting);

        await using (var third = await RawSmtpClient.ConnectAsync(server.Mx))
        {
            await third.ExpectAsync("421 4.7.0 mx.govmail.test Too many connections from your address, try again later / Qua nhieu ket noi tu dia chi cua ban, vui long thu lai sau");
            Assert.True(await third.IsClosedByServerAsync());
        }

        // The server gives the slot back before it closes a connection, so once QUIT is done a new client gets in.
        await first.CommandAsync("QUIT", Replies.Closing);
        Assert.True(await first.IsClosedByServerAsync());
        await using var fourth = await RawSmtpClient.ConnectAsync(server.Mx);
        await fourth.ExpectAsync(Replies.Greeting);
    }

    [Fact]
    public async Task Stopping_the_server_tells_idle_sessions_421_and_closes_them()
    {
        var server = await TestSmtpServer.StartAsync();
        await using (server)
        {
            await using var idle = await RawSmtpClient.ConnectAsync(server.Mx);
            await idle.GreetAsync();
            await using var secure = await RawSmtpClient.ConnectAsync(server.Submissions, implicitTls: true);
            await secure.ExpectAsync(Replies.Greeting);

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var stopping = server.Server.StopAsync(patience.Token);
            await idle.ExpectAsync(Replies.ShuttingDown);
            Assert.True(await idle.IsClosedByServerAsync());
            await secure.ExpectAsync(Replies.ShuttingDown);
            Assert.True(await secure.IsClosedByServerAsync());
            await stopping;
            Assert.False(patience.IsCancellationRequested);
            Assert.Equal(0, server.Server.ConnectionCount);
            await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => RawSmtpClient.ConnectAsync(server.Mx));
        }
    }

    [Fact]
    public async Task Stopping_the_server_lets_a_message_in_progress_finish_before_saying_421()
    {
        var server = await TestSmtpServer.StartAsync();
        await using (server)
        {
            await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
            await client.GreetAsync();
            await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
            await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
            await client.CommandAsync("DATA", Replies.StartData);
            await client.SendAsync("Subject: in flight\r\n\r\n");

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var stopping = server.Server.StopAsync(patience.Token);
            await client.SendAsync("still arriving\r\n.\r\n");
            await client.ExpectAsync(Replies.Delivered);
            await client.ExpectAsync(Replies.ShuttingDown);
            Assert.True(await client.IsClosedByServerAsync());
            await stopping;
            Assert.Equal("Subject: in flight\r\n\r\nstill arriving\r\n", System.Text.Encoding.ASCII.GetString(server.Sink.Single().Content));
        }
    }

    [Fact]
    public async Task Stopping_hard_closes_a_session_stuck_in_data_and_keeps_nothing()
    {
        var server = await TestSmtpServer.StartAsync();
        await using (server)
        {
            await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
            await client.GreetAsync();
            await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
            await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
            await client.CommandAsync("DATA", Replies.StartData);
            await client.SendAsync("Subject: never finished\r\n");

            await server.Server.StopAsync(new CancellationToken(canceled: true));
            Assert.True(await client.IsClosedByServerAsync());
            Assert.Equal(0, server.Server.ConnectionCount);
            Assert.Empty(server.Sink.Messages);
            Assert.Empty(Directory.GetFiles(server.SpoolDirectory));
        }
    }

    [Fact]
    public async Task Each_session_is_logged_once_with_its_id()
    {
        var server = await TestSmtpServer.StartAsync();
        await using (server)
        {
            await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
            await client.GreetAsync();
            await client.CommandAsync("QUIT", Replies.Closing);
            Assert.True(await client.IsClosedByServerAsync());
        }
        var sessions = server.Logs.Entries.Where(e => e.Category == "GovMail.Smtp.Session" && e.Level == LogLevel.Information).ToList();
        var line = Assert.Single(sessions).Message;
        Assert.Matches("^SMTP session [0-9a-f]{12} Mx from 127.0.0.1:[0-9]+ helo client.example tls no auth -: 0 messages accepted, 0 refused, 0 bad commands; ended: quit after [0-9]+ ms$", line);
    }
}
