using GovMail.Smtp.Tests.Support;
using Xunit.Abstractions;
using static GovMail.Smtp.Tests.Integration.SmtpHostTestBed;

namespace GovMail.Smtp.Tests.Integration;

/// <summary>
/// The messages built to break parsers (<see cref="HostileMessages"/>) sent to port 25 as they are, through the real
/// pipeline: each is either stored (250, its octets whole after the trace fields the server adds) or refused for good (5xx,
/// e.g. a bare line feed, which SMTP smuggling rides on); never a temporary failure the sender would retry forever, never a
/// dropped connection, never a half-stored message.
/// </summary>
public sealed class HostileMessageDeliveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Messages_built_to_break_parsers_are_stored_whole_or_refused_for_good()
    {
        await using var bed = await StartAsync();
        var stored = 0;
        foreach (var (name, bytes) in HostileMessages.All())
        {
            await using var client = await RawSmtpClient.ConnectAsync(bed.Mx);
            await client.GreetAsync();
            await client.SendAsync($"MAIL FROM:<{OutsideSender}>\r\n");
            Assert.StartsWith("250 ", await client.ReadReplyAsync());
            await client.SendAsync($"RCPT TO:<{Binh}>\r\n");
            Assert.StartsWith("250 ", await client.ReadReplyAsync());
            await client.SendAsync("DATA\r\n");
            Assert.StartsWith("354 ", await client.ReadReplyAsync());
            await client.SendAsync([.. DotStuffed(bytes), .. ".\r\n"u8.ToArray()]);
            var reply = await client.ReadReplyAsync();
            Assert.True(reply.StartsWith("250 ", StringComparison.Ordinal) || reply.StartsWith('5'), $"{name}: {reply}");
            output.WriteLine($"{name}: {reply.TrimEnd()}");
            if (!reply.StartsWith("250 ", StringComparison.Ordinal)) continue;
            stored++;
            var copy = (await bed.InboxAsync(Binh))[^1];
            byte[] sent = bytes.AsSpan().EndsWith("\r\n"u8) ? bytes : [.. bytes, .. "\r\n"u8.ToArray()];
            Assert.True(copy.Blob.AsSpan().EndsWith(sent), name);
        }
        Assert.Equal(stored, (await bed.InboxAsync(Binh)).Count);
        Assert.True(stored >= 10, $"only {stored} stored");
    }

    /// <summary>The message as DATA carries it: a line that starts with a dot gets another; the last line ends with CRLF.</summary>
    private static byte[] DotStuffed(byte[] message)
    {
        var output = new List<byte>(message.Length + 16);
        var lineStart = true;
        foreach (var b in message)
        {
            if (lineStart && b == (byte)'.') output.Add((byte)'.');
            output.Add(b);
            lineStart = b == (byte)'\n';
        }
        if (!message.AsSpan().EndsWith("\r\n"u8)) output.AddRange("\r\n"u8.ToArray());
        return [.. output];
    }
}
