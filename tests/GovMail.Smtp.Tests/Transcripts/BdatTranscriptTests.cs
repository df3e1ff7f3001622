using System.Text;
using GovMail.Smtp.Tests.Support;

namespace GovMail.Smtp.Tests.Transcripts;

public sealed class BdatTranscriptTests
{
    private const string NeedMailBeforeData = "503 5.5.1 Need MAIL and RCPT before DATA / Can MAIL va RCPT truoc DATA";

    [Fact]
    public async Task Two_pipelined_chunks_make_one_message_with_no_unstuffing()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        const string first = "Subject: chunked\r\n\r\n";
        const string second = "first line\r\n..a line that really starts with two dots\r\n.\r\nafter a lone dot\r\n";
        await client.SendAsync(
            "MAIL FROM:<sender@example.org>\r\n" +
            "RCPT TO:<an@govmail.test>\r\n" +
            $"BDAT {first.Length}\r\n{first}" +
            $"BDAT {second.Length} LAST\r\n{second}");
        await client.ExpectAsync(Replies.SenderOk);
        await client.ExpectAsync(Replies.RecipientOk);
        await client.ExpectAsync($"250 2.0.0 {first.Length} octets received");
        await client.ExpectAsync(Replies.Delivered);

        var delivered = server.Sink.Single();
        Assert.Equal(first + second, Encoding.ASCII.GetString(delivered.Content));
        Assert.Equal(first.Length + second.Length, delivered.Size);
    }

    [Fact]
    public async Task Bdat_0_last_ends_the_message()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.ChunkAsync("BDAT 7", "Subject", "250 2.0.0 7 octets received");
        await client.CommandAsync("BDAT 0", "250 2.0.0 0 octets received");
        await client.CommandAsync("BDAT 0 LAST", Replies.Delivered);
        Assert.Equal("Subject", Encoding.ASCII.GetString(server.Sink.Single().Content));
    }

    [Fact]
    public async Task A_chunk_out_of_sequence_is_read_and_dropped_so_the_session_stays_in_step()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        // Were the six octets not read as chunk data, "QUIT\r" would end the session here.
        await client.ChunkAsync("BDAT 6", "QUIT\r\n", NeedMailBeforeData);
        await client.CommandAsync("NOOP", Replies.Ok);
        Assert.Empty(server.Sink.Messages);
    }

    [Fact]
    public async Task Data_and_rcpt_cannot_follow_bdat_and_rset_drops_the_chunks()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.ChunkAsync("BDAT 5", "hello", "250 2.0.0 5 octets received");
        await client.CommandAsync("DATA", "503 5.5.1 DATA cannot follow BDAT in the same transaction / Khong dung DATA sau BDAT trong cung mot thu");
        await client.CommandAsync("RCPT TO:<binh@govmail.test>", "503 5.5.1 Bad sequence of commands / Sai thu tu lenh");
        await client.CommandAsync("RSET", "250 2.0.0 Reset OK");
        await client.ChunkAsync("BDAT 3 LAST", "abc", NeedMailBeforeData);
        Assert.Empty(server.Sink.Messages);
        Assert.Empty(Directory.GetFiles(server.SpoolDirectory));
    }

    [Fact]
    public async Task An_oversize_chunk_is_refused_552_and_the_session_goes_on()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxMessageSize = 100);
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.ChunkAsync("BDAT 150 LAST", new string('x', 150), Replies.TooBig(100));
        await client.CommandAsync("NOOP", Replies.Ok);
        Assert.Empty(server.Sink.Messages);
    }
}
