using System.Text;
using System.Text.RegularExpressions;
using GovMail.Imap.Tests.Support;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>BINARY (RFC 3516) as exact exchanges: parts decoded from base64 and quoted-printable, literal8, BINARY.SIZE, UNKNOWN-CTE.</summary>
public sealed partial class BinaryTranscriptTests : ServerTests
{
    /// <summary>Quoted-printable Vietnamese text, four octets of base64 with a NUL among them, and an encoding no one knows.</summary>
    private static readonly byte[] Encoded = Encoding.UTF8.GetBytes(
        "From: hanhchinh@tphcm.gov.vn\r\nTo: an@tphcm.gov.vn\r\nSubject: Tệp đính kèm\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n" +
        "--x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
        "C=C3=B4ng v=C4=83n =C4=91=E1=BA=BFn\r\n" +
        "--x\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAH/QQ==\r\n" +
        "--x\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: x-gzip64\r\n\r\nH4sI\r\n" +
        "--x--\r\n");

    [Fact]
    public async Task Binary_returns_decoded_parts_their_sizes_and_literal8_for_nul_octets()
    {
        await Server.DeliverAsync(Fixture.CongVan1434);
        await Server.DeliverAsync(Encoded);
        await using var client = await RawImapClient.LoginAsync(Server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync("s1 SELECT INBOX\r\n");
        await client.ReadUntilTaggedAsync("s1");

        // The PDF of the official letter, base64 on the wire, comes back as the file's own octets.
        await client.SendAsync("a1 FETCH 1 (BINARY.SIZE[2] BINARY.PEEK[2])\r\n");
        await client.ExpectAsync("* 1 FETCH (BINARY.SIZE[2] 9 BINARY[2] {9}");
        Assert.Equal("%PDF-1.4\n", Encoding.ASCII.GetString(await client.ReadBytesAsync(9)));
        await client.ExpectAsync(")", "a1 OK FETCH completed.");

        await client.SendAsync("a2 UID FETCH 2 (BINARY.SIZE[1] BINARY.PEEK[1])\r\n");
        var line = await client.ReadLineAsync();
        var match = SizeAndLiteral().Match(line!);
        Assert.True(match.Success, line);
        Assert.Equal(match.Groups[1].Value, match.Groups[2].Value);
        var text = Encoding.UTF8.GetString(await client.ReadBytesAsync(int.Parse(match.Groups[2].Value)));
        Assert.Equal("Công văn đến", text.TrimEnd('\r', '\n'));
        await client.ExpectAsync(")", "a2 OK FETCH completed.");

        // A NUL among the octets needs literal8 (~{n}); a partial range is taken of the decoded octets.
        await client.SendAsync("a3 FETCH 2 (BINARY.PEEK[2] BINARY.PEEK[2]<1.2> BINARY.PEEK[1.2] FLAGS)\r\n");
        await client.ExpectAsync("* 2 FETCH (FLAGS () BINARY[2] ~{4}");
        Assert.Equal(new byte[] { 0, 1, 0xFF, (byte)'A' }, await client.ReadBytesAsync(4));
        await client.ExpectAsync(" BINARY[2]<1> {2}");
        Assert.Equal(new byte[] { 1, 0xFF }, await client.ReadBytesAsync(2));
        await client.ExpectAsync(" BINARY[1.2] NIL)", "a3 OK FETCH completed.");

        await client.SendAsync("a4 FETCH 2 BINARY.PEEK[3]\r\na5 FETCH 2 BINARY.SIZE[2]\r\na6 FETCH 2 BINARY[2.TEXT]\r\na7 FETCH 2 BINARY.SIZE[2]<0.1>\r\n");
        await client.ExpectAsync(
            "a4 NO [UNKNOWN-CTE] A part asked for has a content-transfer-encoding the server cannot decode.",
            "* 2 FETCH (BINARY.SIZE[2] 4)", "a5 OK FETCH completed.",
            "a6 BAD BINARY takes part numbers only.");
        // BINARY.SIZE takes no partial range.
        Assert.StartsWith("a7 BAD ", await client.ReadLineAsync());
        // BINARY without PEEK reads the message: \Seen is set.
        await client.SendAsync("a8 FETCH 2 BINARY[2]<0.1>\r\n");
        await client.ExpectAsync("* 2 FETCH (FLAGS (\\Seen) BINARY[2]<0> ~{1}");
        Assert.Equal(new byte[] { 0 }, await client.ReadBytesAsync(1));
        await client.ExpectAsync(")", "a8 OK FETCH completed.");
    }

    [GeneratedRegex(@"^\* 2 FETCH \(UID 2 BINARY\.SIZE\[1\] (\d+) BINARY\[1\] \{(\d+)\}$")]
    private static partial Regex SizeAndLiteral();
}
