using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using GovMail.Imap.Tests.Support;

namespace GovMail.Imap.Tests.Security;

/// <summary>
/// A CA-issued certificate is presented with its intermediate, on 993 and after STARTTLS on 143: a mail program that trusts
/// the root and does not fetch intermediates (most phones and desktop clients) accepts the server.
/// </summary>
public sealed class CertificateChainTests
{
    [Fact]
    public async Task Implicit_tls_sends_the_intermediate_so_a_client_trusting_only_the_root_accepts_the_server()
    {
        using var issued = TestCertificateChain.Create();
        await using var server = await ImapTestServer.StartAsync(certificate: issued.ServerChain());

        var seen = await issued.HandshakeAsync(server.Imaps);

        Assert.Equal(issued.Leaf.Thumbprint, seen.Presented?.Thumbprint);
        Assert.Contains(seen.Sent, c => c.Thumbprint == issued.Intermediate.Thumbprint);
        Assert.Equal(SslPolicyErrors.None, seen.Errors);
    }

    [Fact]
    public async Task Starttls_sends_the_intermediate_too()
    {
        using var issued = TestCertificateChain.Create();
        await using var server = await ImapTestServer.StartAsync(certificate: issued.ServerChain());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Imap);
        var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII, false, 1, leaveOpen: true);
        Assert.StartsWith("* OK", await reader.ReadLineAsync());
        await stream.WriteAsync("a1 STARTTLS\r\n"u8.ToArray());
        Assert.StartsWith("a1 OK", await reader.ReadLineAsync());

        var seen = await issued.HandshakeAsync(stream);

        Assert.Contains(seen.Sent, c => c.Thumbprint == issued.Intermediate.Thumbprint);
        Assert.Equal(SslPolicyErrors.None, seen.Errors);
    }
}
